"""The subcommands. Each validates through the core, writes through the store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from companion import queries
from companion.cli import render
from companion.cli.context import Context
from companion.cli.main import EXIT_OK, UsageError, print_json
from companion.core import clock, timefmt
from companion.core.alerts import judge_checkin
from companion.core.backup import Backup, build_export, parse_export_text
from companion.core.checkins import new_checkin
from companion.core.errors import InputError
from companion.core.hydration import validate_count, validate_goal
from companion.core.restrictions import restriction_states
from companion.core.sessions import latest_before, new_session, newest_first
from companion.store import StoreError

EXPORT_FORMATS = ("json", "csv", "md", "ics")
MAX_HISTORY_DAYS = 36600


def session_add(ctx: Context, args: argparse.Namespace) -> int:
    started = clock.parse_when(args.at, "--at") if args.at else None
    session = new_session(started_at=started, intensity=args.intensity, areas=args.area, note=args.note)
    ctx.store.add_session(session)
    now = clock.now()
    if args.json:
        print_json(
            {
                **session.to_record(),
                "restrictions": [s.to_json() for s in restriction_states(ctx.protocol, session, now)],
            }
        )
        return EXIT_OK
    print(session.id)
    lines = [f"Session recorded: {render.session_line(session, now)}"]
    for state in restriction_states(ctx.protocol, session, now):
        if state.ends_at is not None:
            lines.append(f"  {state.restriction.title:<28} until {timefmt.clock_time(state.ends_at, now)}")
    lines.append("See them any time with 'companion status'.")
    print("\n".join(lines), file=sys.stderr)
    return EXIT_OK


def session_list(ctx: Context, args: argparse.Namespace) -> int:
    sessions = newest_first(ctx.store.sessions())
    if args.json:
        print_json([s.to_record() for s in sessions])
        return EXIT_OK
    if not sessions:
        print("No sessions recorded yet.")
        return EXIT_OK
    rows = [["When", "Intensity", "Areas", "Id"]]
    for s in sessions:
        rows.append(
            [
                s.started_at.format("ddd D MMM YYYY HH:mm"),
                s.intensity,
                ", ".join(s.areas) or "-",
                s.id,
            ]
        )
    print("\n".join(render.table(rows, indent="")))
    return EXIT_OK


def session_remove(ctx: Context, args: argparse.Namespace) -> int:
    if not ctx.store.remove_session(args.id):
        raise InputError("ID", f"no session has the id {args.id!r}; see 'companion session list'")
    print(f"Session {args.id} removed.")
    return EXIT_OK


def status(ctx: Context, args: argparse.Namespace) -> int:
    snapshot = queries.load_status(ctx.store, ctx.protocol, ctx.zone)
    if args.json:
        print_json(snapshot.to_json())
    else:
        print(render.status_text(snapshot, ctx.protocol))
    return EXIT_OK


def water(ctx: Context, args: argparse.Namespace) -> int:
    today = clock.today()
    if args.goal is not None:
        if args.undo or args.count is not None:
            raise UsageError("companion water: --goal sets the goal only; tick glasses in a second call")
        goal = validate_goal(args.goal)
        day = ctx.store.set_default_goal(goal, today)
        message = f"Daily goal set to {goal} glasses. {render.water_line(day)}"
    elif args.undo:
        if args.count is not None:
            raise UsageError("companion water: --undo removes one glass; give no N with it")
        day = ctx.store.update_hydration(today, lambda h: h.undo())
        message = f"One glass removed. {render.water_line(day)}"
    else:
        count = validate_count(args.count) if args.count is not None else 1
        day = ctx.store.update_hydration(today, lambda h: h.add(count))
        noun = "glass" if count == 1 else "glasses"
        message = f"{count} {noun} ticked. {render.water_line(day)}"
    if args.json:
        print_json(day.to_record())
    else:
        print(message)
    return EXIT_OK


def checkin(ctx: Context, args: argparse.Namespace) -> int:
    day = clock.parse_day(args.date, "--date") if args.date else None
    entry = new_checkin(
        soreness=args.soreness,
        fatigue=args.fatigue,
        stiffness=args.stiffness,
        bruising=args.bruising,
        flare_up=args.flare_up,
        sharp_pain=args.sharp_pain,
        breathing_trouble=args.breathing_trouble,
        note=args.note,
        day=day,
    )
    replaced = ctx.store.checkin_for(entry.date) is not None
    ctx.store.save_checkin(entry)
    earlier = queries.checkins_for_alerts(ctx.store, entry)
    session = latest_before(ctx.store.sessions(), entry.moment)
    alerts = judge_checkin(ctx.protocol, entry, earlier, session)
    if args.json:
        print_json({**entry.to_record(), "replaced": replaced, "alerts": [a.to_json() for a in alerts]})
        return EXIT_OK
    verb = "replaced" if replaced else "saved"
    print(f"Check-in {verb} for {entry.date.strftime('%a %d %b')}: {render.checkin_summary(entry)}")
    if alerts:
        print("\n".join(render.alert_lines(alerts)))
    else:
        print("Nothing in it calls for contacting your physiotherapist.")
    return EXIT_OK


def history(ctx: Context, args: argparse.Namespace) -> int:
    try:
        days = int(str(args.days).strip())
    except ValueError:
        raise InputError("--days", f"must be a whole number of days; got {args.days!r}") from None
    if not 1 <= days <= MAX_HISTORY_DAYS:
        raise InputError("--days", f"must be from 1 to {MAX_HISTORY_DAYS}; got {days}")
    rows = queries.load_history(ctx.store, ctx.protocol, days=days)
    if args.json:
        print_json([row.to_json() for row in rows])
    else:
        print(render.history_text(rows))
    return EXIT_OK


def _backup(ctx: Context) -> Backup:
    days = ctx.store.all_days()
    return Backup(ctx.store.sessions(), days.checkins, days.hydration, days.checklist)


def export(ctx: Context, args: argparse.Namespace) -> int:
    fmt = args.format.strip().lower()
    if fmt not in EXPORT_FORMATS:
        raise InputError("--format", f"must be one of {', '.join(EXPORT_FORMATS)}; got {args.format!r}")
    now = clock.now()
    payload: bytes
    if fmt == "json":
        import json

        payload = (json.dumps(build_export(_backup(ctx), now), indent=2, ensure_ascii=False) + "\n").encode()
    elif fmt == "csv":
        from companion.export.csv_export import render_csv

        payload = render_csv(queries.load_history(ctx.store, ctx.protocol, include_empty=True)).encode()
    elif fmt == "md":
        from companion.export.markdown_report import render_markdown

        rows = queries.load_history(ctx.store, ctx.protocol, include_empty=True)
        snapshot = queries.load_status(ctx.store, ctx.protocol, ctx.zone, now)
        payload = render_markdown(ctx.protocol, ctx.store.sessions(), rows, snapshot, now).encode()
    else:
        from companion.export.calendar_export import render_ics

        payload = render_ics(ctx.protocol, ctx.store.sessions(), now)
    if args.output:
        _write_output(Path(args.output).expanduser(), payload)
        print(f"Wrote {fmt} export to {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    return EXIT_OK


def _write_output(path: Path, payload: bytes) -> None:
    from companion.store.atomic_storage import atomic_write_bytes, describe_os_error

    if path.is_dir():
        raise InputError("--output", f"{path} is a folder; give a file name")
    if not path.parent.is_dir():
        raise InputError("--output", f"the folder {path.parent} does not exist")
    try:
        atomic_write_bytes(path, payload)
    except OSError as exc:
        raise StoreError(describe_os_error(exc, path).replace("save", "write")) from exc


def import_file(ctx: Context, args: argparse.Namespace) -> int:
    path = Path(args.file).expanduser()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("FILE", f"{path} does not exist") from None
    except UnicodeDecodeError:
        raise InputError("FILE", f"{path} is not a text (JSON) file") from None
    except OSError as exc:
        raise InputError("FILE", f"cannot read {path}: {exc.strerror}") from None
    backup = parse_export_text(text, "FILE")
    counts = ctx.store.apply_import(backup.sessions, backup.checkins, backup.hydration, backup.checklist)
    if counts.total == 0:
        print(f"Nothing new to import from {path.name}: everything in it is already here.")
    else:
        print(
            f"Imported from {path.name}: {counts.sessions} sessions, {counts.checkins} check-ins, "
            f"{counts.hydration} water days, {counts.checklist} checklist days."
        )
    return EXIT_OK


def config(ctx: Context, args: argparse.Namespace) -> int:
    if args.timezone and args.system_timezone:
        raise UsageError("companion config: give either --timezone or --system-timezone")
    if args.timezone:
        name = clock.validate_zone(args.timezone)
        ctx.store.update_settings(timezone=name)
        ctx.zone = clock.apply_zone(name)
    elif args.system_timezone:
        ctx.store.update_settings(timezone=None)
        ctx.zone = clock.apply_zone(None)
    settings = ctx.store.settings()
    info = {
        "data_dir": str(ctx.store.data_dir),
        "timezone": ctx.zone.name,
        "timezone_source": ctx.zone.source,
        "default_goal": settings.default_goal,
        "theme": settings.theme,
    }
    if args.json:
        print_json(info)
    else:
        rows = [[key.replace("_", " "), str(value)] for key, value in info.items()]
        print("\n".join(render.table(rows, indent="")))
    return EXIT_OK
