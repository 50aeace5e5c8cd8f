"""A clinic file imported with the command line while the app is open takes effect in the app.

The app and `companion protocol import` are separate processes: the app notices the
store's files changed (its poll) and assembles the protocol again.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from companion.store import Store
from companion.ui.widgets.countdown import RestrictionCard
from tests.conftest import run_cli
from tests.ui.conftest import add_session, at
from tests.waiting import wait_for

CLINIC_FILE = Path(__file__).resolve().parents[2] / "assets" / "clinic-example.toml"
SIZE = (100, 40)


async def test_a_clinic_file_imported_in_another_process_counts_in_the_open_app(
    store: Store, make_app, frozen
) -> None:
    add_session(store, at(2026, 11, 22, 8, 0), intensity="intense")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one("#card-alcohol"), what="the countdowns")
        alcohol = app.screen.query_one("#card-alcohol", RestrictionCard)
        assert alcohol.ends_at == at(2026, 11, 24, 8, 0)  # the guidance: 48 h after an intense session
        assert app.protocol.clinic is None and not app.screen.query("#card-sauna")

        # Its clock starts at the moment the app's is frozen at (Sun 22 Nov 2026 10:00, Berlin).
        result = await asyncio.to_thread(
            run_cli, "protocol", "import", str(CLINIC_FILE), data_dir=store.data_dir
        )
        assert result.returncode == 0, result.stderr

        def clinic_counts() -> bool:
            card = app.screen.query_one("#card-alcohol", RestrictionCard)
            return card.ends_at == at(2026, 11, 25, 8, 0)  # the clinic's 72 h

        await wait_for(pilot, clinic_counts, what="the alcohol countdown at the clinic's 72 h")
        assert app.protocol.clinic is not None and app.protocol.clinic.name == "Riverside Physiotherapy"
        alcohol = app.screen.query_one("#card-alcohol", RestrictionCard)
        assert "as instructed by Riverside Physiotherapy" in alcohol.render().plain
        assert app.screen.query_one("#card-sauna", RestrictionCard).clinic == "Riverside Physiotherapy"
