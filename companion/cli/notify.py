"""Desktop notifications for `companion remind --notify`, where the system has them."""

from __future__ import annotations

import logging
import os
import sys

from companion.core.text import printable


def send_notification(title: str, message: str) -> bool:
    """Send through desktop-notifier; False (caller prints instead) when there is no desktop."""
    if sys.platform.startswith("linux") and not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return False  # no session bus: a server, a container, a cron job without a desktop
    try:
        from desktop_notifier import DesktopNotifierSync
    except ImportError:
        return False
    # The library logs its own tracebacks on failure; the patient gets our fallback instead.
    logging.getLogger("desktop_notifier").disabled = True
    try:
        DesktopNotifierSync(app_name="companion").send(title=printable(title), message=printable(message))
    except Exception:
        return False
    return True
