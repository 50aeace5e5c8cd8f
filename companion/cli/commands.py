"""The subcommands' handlers (set on their parsers, see parser.py). Each validates through the
core, writes through the store; a refusal names the record key, which main.py says with
the option the patient typed."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import replace

from pendulum import DateTime

from companion import queries
from companion.cli import render
from companion.cli.arguments import UsageError, fields_named, path_argument, read_text_file
from companion.cli.output import EXIT_OK, print_json, write_output
from companion.context import Context
from companion.core import clock, timefmt
from companion.core.alerts import no_alert_text
from companion.core.appointments import new_appointment, time_until, upcoming
from companion.core.backup import Backup, build_export, parse_export_text
from companion.core.care_plan import CarePlan
from companion.core.checkins import before_any_session, new_checkin
from companion.core.checklist import ChecklistDay
from companion.core.errors import InputError, ProtocolError
from companion.core.exercises import Exercise, new_exercise
from companion.core.hydration import validate_count, validate_goal
from companion.core.ids import resolve_id, short_ids
from companion.core.intake import check_intake, new_intake
from companion.core.numbers import parse_whole
from companion.core.questions import new_question
from companion.core.reminders import Reminder, due_reminders, reminder_line
from companion.core.restrictions import recorded_session_lines, restriction_states
from companion.core.sessions import duplicate_warning, likely_duplicate, new_session, newest_first
from companion.core.text import json_escaped, shown
from companion.core.wording import count

EXPORT_FORMATS = ("json", "csv", "md", "ics", "html")
MAX_HISTORY_DAYS = 36600


def session_add(ctx: Context, args: argparse.Namespace) -> int:
    started = clock.parse_when(args.started_at, "started_at") if args.started_at is not None else None
    session = new_session(started_at=started, intensity=args.intensity, areas=args.areas, note=args.note)
    recorded = ctx.store.sessions()
    twin = likely_duplicate(recorded, session.started_at)
    ctx.store.add_session(session)
    now = clock.now()
    if args.json:
        print_json(
            {
                **session.to_record(),
                "restrictions": [s.to_json() for s in restriction_states(ctx.protocol, session, now)],
                "likely_duplicate_of": twin.id if twin else None,
            }
        )
    else:
        print(session.id)
        lines = [
            f"Session recorded: {render.session_line(session, now)}",
            *recorded_session_lines(ctx.protocol, session, now),
            "See them any time with 'companion status'.",
        ]
        print("\n".join(lines), file=sys.stderr)
    if twin is not None:
        # Recorded all the same (scripts rely on `session add` recording): said, with the undo.
        short = short_ids([*(s.id for s in recorded), session.id])[session.id]
        print(
            f"Warning: {duplicate_warning(twin, session.started_at)} "
            f"If it is, remove this one: companion session remove {short}",
            file=sys.stderr,
        )
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
    short = short_ids(s.id for s in sessions)
    for s in sessions:
        rows.append(
            [
                timefmt.dated(s.started_at),  # in the patient's zone, as status shows it
                s.intensity,
                ", ".join(s.areas) or "-",
                short[s.id],
            ]
        )
    print("\n".join(render.table(rows, indent="")))
    return EXIT_OK


def session_remove(ctx: Context, args: argparse.Namespace) -> int:
    ids = [s.id for s in ctx.store.sessions()]
    return _remove("session", ctx.store.remove_session, args.id, ids, "companion session list")


def _remove(kind: str, remover: Callable[[str], bool], given: str, ids: list[str], list_command: str) -> int:
    """Remove the record whose id is, or starts with, `given` (the id's field is ID)."""
    record_id = resolve_id(given, ids, field="id", kind=kind, see=list_command)
    if not remover(record_id):  # removed by another process meanwhile
        raise InputError("id", f"no {kind} has the id {shown(given)} any more; see '{list_command}'")
    print(f"{kind.capitalize()} {short_ids(ids)[record_id]} removed.")
    return EXIT_OK


def water(ctx: Context, args: argparse.Namespace) -> int:
    today = clock.today()
    if args.goal is not None:
        if args.undo or args.glasses is not None:
            raise UsageError("companion water: --goal sets the goal only; tick glasses in a second call")
        goal = validate_goal(args.goal)
        day = ctx.store.set_default_goal(goal, today)
        line = render.water_line(day, ctx.store.settings().glass_size)
        message = f"Daily goal set to {count(goal, 'glass', 'glasses')}. {line}"
    elif args.undo:
        if args.glasses is not None:
            raise UsageError("companion water: --undo removes one glass; give no N with it")
        with fields_named(glasses="--undo"):
            day = ctx.store.update_hydration(today, lambda h: h.undo())
        message = f"One glass removed. {render.water_line(day, ctx.store.settings().glass_size)}"
    else:
        glasses = validate_count(args.glasses) if args.glasses is not None else 1
        day = ctx.store.update_hydration(today, lambda h: h.add(glasses))
        line = render.water_line(day, ctx.store.settings().glass_size)
        message = f"{count(glasses, 'glass', 'glasses')} ticked. {line}"
    if args.json:
        print_json(day.to_record())
    else:
        print(message)
    return EXIT_OK


def checkin(ctx: Context, args: argparse.Namespace) -> int:
    day = clock.parse_day(args.date) if args.date is not None else None
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
        usual_pain=args.usual_pain,
    )
    replaced = ctx.store.checkin_for(entry.date) is not None
    ctx.store.save_checkin(entry)
    alerts = queries.alerts_for_checkin(ctx.store, ctx.protocol, entry)
    no_session = before_any_session(
        ctx.store.sessions(), entry, redo="run 'companion checkin' again with the right --date"
    )
    if args.json:
        print_json(
            {
                **entry.to_record(),
                "replaced": replaced,
                "alerts": [a.to_json() for a in alerts],
                "before_any_session": no_session is not None,
            }
        )
    else:
        verb = "replaced" if replaced else "saved"
        print(f"Check-in {verb} for {render.day_label(entry.date)}: {render.checkin_summary(entry)}")
        if alerts:
            print("\n".join(render.alert_lines(alerts, ctx.protocol)))
        else:
            print(no_alert_text(ctx.protocol))
    if no_session is not None:
        sys.stdout.flush()
        print(f"Note: {no_session}", file=sys.stderr)
    return EXIT_OK


def history(ctx: Context, args: argparse.Namespace) -> int:
    days = parse_whole(args.days, "days", minimum=1, maximum=MAX_HISTORY_DAYS, hint="days")
    rows = queries.load_history(ctx.store, ctx.protocol, days=days)
    if args.json:
        print_json([row.to_json() for row in rows])
    else:
        print(render.history_text(rows, ctx.protocol))
    return EXIT_OK


def _backup(ctx: Context) -> Backup:
    store = ctx.store
    days = store.all_days()
    return Backup(
        store.sessions(),
        days.checkins,
        days.hydration,
        days.checklist,
        store.appointments(),
        store.exercises(),
        store.questions(),
        store.all_intake(),
        store.complaints(),
        store.activities(),
        store.all_ratings(),
    )


def _plan(ctx: Context) -> CarePlan:
    store = ctx.store
    return CarePlan(store.appointments(), store.exercises(), store.questions(), store.all_intake())


def _calendar_appointments(ctx: Context) -> list[tuple[str, DateTime, str, str]]:
    name = ctx.protocol.clinic.name if ctx.protocol.clinic else "your physiotherapist"
    return [
        (f"{a.id}@companion", a.at, f"Follow-up with {name}", a.note or "Follow-up appointment")
        for a in ctx.store.appointments()
    ]


def export(ctx: Context, args: argparse.Namespace) -> int:
    fmt = args.format.strip().lower()
    if fmt not in EXPORT_FORMATS:
        raise InputError("--format", f"must be one of {', '.join(EXPORT_FORMATS)}; got {shown(args.format)}")
    now = clock.now()
    payload: bytes
    if fmt == "json":
        import json

        document = json.dumps(build_export(_backup(ctx), now), indent=2, ensure_ascii=False)
        payload = (json_escaped(document) + "\n").encode()
    elif fmt == "csv":
        from companion.export.csv_export import render_csv

        ratings = ctx.store.all_ratings()
        known = [d for d in (ctx.store.first_day(), ratings[0].date if ratings else None) if d is not None]
        first = min(known, default=None)  # a rating before any other record gets its line too
        rows = queries.load_history(ctx.store, ctx.protocol, first=first, include_empty=True)
        payload = render_csv(rows, ctx.store.activities(), ratings).encode()
    elif fmt == "md":
        from companion.export.markdown_report import render_markdown

        rows = queries.load_history(ctx.store, ctx.protocol, include_empty=True)
        snapshot = queries.load_status(ctx.store, ctx.protocol, ctx.zone, now)
        course = queries.load_course(ctx.store, ctx.protocol, now)
        payload = render_markdown(
            ctx.protocol, ctx.store.sessions(), rows, snapshot, now, _plan(ctx), course=course
        ).encode()
    elif fmt == "html":
        from companion.cli.report_commands import html_report

        payload = html_report(ctx, now)
    else:
        from companion.export.calendar_export import render_ics

        payload = render_ics(ctx.protocol, ctx.store.sessions(), now, _calendar_appointments(ctx))
    if args.output is not None and args.output != "-":
        named = path_argument(args.output, "--output")
        written = write_output(named, payload, ctx.store.data_dir)
        via = f" (through the link {args.output})" if written != named else ""
        print(f"Wrote {fmt} export to {written}{via}", file=sys.stderr)
    else:
        # Each format shows control characters as marks (or \\u escapes) itself: bytes as they are
        # (the calendar's lines end in CRLF, as RFC 5545 wants).
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    return EXIT_OK


def import_file(ctx: Context, args: argparse.Namespace) -> int:
    path = path_argument(args.file, "FILE")
    text = read_text_file(path, "JSON")
    backup = parse_export_text(text, "FILE")
    counts = ctx.store.apply_import(backup)
    if counts.total == 0:
        print(
            f"Nothing new to import from {path.name}: each record in it is already here, "
            "or older than the one stored, which was kept."
        )
    else:
        parts = [
            count(counts.sessions, "session"),
            count(counts.checkins, "check-in"),
            count(counts.hydration, "water day"),
            count(counts.checklist, "checklist day"),
        ]
        if counts.other:
            parts.append(count(counts.other, "other record"))
        print(f"Imported from {path.name}: {', '.join(parts)}.")
    return EXIT_OK


def config(ctx: Context, args: argparse.Namespace) -> int:
    if args.timezone is not None and args.system_timezone:
        raise UsageError("companion config: give either --timezone or --system-timezone")
    if args.timezone is not None:
        name = clock.validate_zone(args.timezone)
        ctx.store.update_settings(timezone=name)
        ctx.apply_zone(name)
    elif args.system_timezone:
        ctx.store.update_settings(timezone=None)
        ctx.apply_zone(None)
    _config_clinic(ctx, args)
    _config_glass(ctx, args)
    settings = ctx.store.settings()
    info = {
        "data_dir": str(ctx.store.data_dir),
        "timezone": ctx.zone.name,
        "timezone_source": ctx.zone.source,
        "default_goal": settings.default_goal,
        "theme": settings.theme,
        "clinic_name": settings.clinic_name,
        "clinic_phone": settings.clinic_phone,
        "alerts_name": ctx.protocol.contact or None,
        "glass_size": str(settings.glass_size) if settings.glass_size else None,
    }
    if args.json:
        print_json(info)
    else:
        shown = {
            **info,
            "default_goal": f"{count(settings.default_goal, 'glass', 'glasses')} a day",
            "theme": settings.theme or "default",
            "clinic_name": settings.clinic_name or "not given (--clinic-name)",
            "clinic_phone": settings.clinic_phone or "not given (--clinic-phone)",
            "alerts_name": _who_alerts_name(ctx),
            "glass_size": str(settings.glass_size) if settings.glass_size else "not given (--glass-size)",
        }
        rows = [[key.replace("_", " "), str(value)] for key, value in shown.items()]
        print("\n".join(render.table(rows, indent="")))
    return EXIT_OK


def _config_clinic(ctx: Context, args: argparse.Namespace) -> None:
    """Who to call, given once: every alert then carries the number."""
    from companion.core.contact import validate_clinic_name, validate_clinic_phone

    given = args.clinic_name is not None or args.clinic_phone is not None
    if args.forget_clinic and given:
        raise UsageError("companion config: give either --forget-clinic or --clinic-name/--clinic-phone")
    if args.forget_clinic:
        ctx.store.update_settings(clinic_name=None, clinic_phone=None)
    elif given:
        changes = {}
        if args.clinic_name is not None:
            changes["clinic_name"] = validate_clinic_name(args.clinic_name)
        if args.clinic_phone is not None:
            changes["clinic_phone"] = validate_clinic_phone(args.clinic_phone)
        ctx.store.update_settings(**changes)
    ctx.reload_protocol()


def _config_glass(ctx: Context, args: argparse.Namespace) -> None:
    """The glass size, chosen once: the water is then also said as an amount."""
    from companion.core.hydration import parse_glass_size

    if args.forget_glass_size and args.glass_size is not None:
        raise UsageError("companion config: give either --glass-size or --forget-glass-size")
    if args.forget_glass_size:
        ctx.store.update_settings(glass_size=None)
    elif args.glass_size is not None:
        with fields_named(glass_size="--glass-size"):
            ctx.store.update_settings(glass_size=parse_glass_size(args.glass_size))


def _who_alerts_name(ctx: Context) -> str:
    contact = ctx.protocol.contact
    if not contact:
        return "nobody yet: give your clinic's name and phone with --clinic-name and --clinic-phone"
    if ctx.protocol.clinic is not None:
        return f"{contact} (the clinic file's [clinic] comes first; what it leaves out is yours)"
    return contact


# --------------------------------------------------------------------------- the clinician's plan


def protocol_import(ctx: Context, args: argparse.Namespace) -> int:
    path = path_argument(args.file, "FILE")
    text = read_text_file(path, "TOML")
    from companion.core.clinic import validate_clinic_text  # only when a clinic file is in use

    try:
        protocol = validate_clinic_text(text, path.name)
    except ProtocolError as exc:
        raise InputError("FILE", str(exc)) from None
    ctx.store.set_clinic_text(text, path.name)
    ctx.reload_protocol()
    origins = [item.origin for item in protocol.restrictions]
    origins += [item.origin for item in protocol.checklist]
    origins += [item.origin for item in protocol.red_flags]
    changed = origins.count("clinic")
    clinic = protocol.clinic.contact_line() if protocol.clinic else "no clinic name given"
    clinic_items = count(changed, "item")
    print(f"Clinic protocol from {path.name} is now in effect ({clinic}; {clinic_items} set by the clinic).")
    print(_applies_from(ctx))
    return EXIT_OK


def _applies_from(ctx: Context) -> str:
    """From which session a protocol change applies (earlier ones keep theirs)."""
    applies = ctx.protocol.applies_from
    if applies is None:
        return "It applies to every session recorded."
    start = next((s for s in ctx.store.sessions() if s.started_at.timestamp() == applies), None)
    when = timefmt.dated(start.started_at) if start else "the latest one"
    return f"It applies from your session of {when} onwards; earlier sessions keep the rules they had."


def protocol_show(ctx: Context, args: argparse.Namespace) -> int:
    from companion.core.protocol import OWN_THRESHOLD

    p = ctx.protocol
    origin = f"clinic ({p.clinic.name})" if p.clinic else "clinic"

    def where(item_origin: str) -> str:
        return origin if item_origin == "clinic" else "guidance"

    data = {
        "clinic": {"name": p.clinic.name, "phone": p.clinic.phone} if p.clinic else None,
        "restrictions": [
            {
                "id": r.id,
                "title": r.title,
                "hours": dict(r.hours) if r.hours else None,
                "sources": list(r.sources),
                "from": where(r.origin),
                "companions_own": r.own_choice or None,
                "note": r.labelled_note or None,
            }
            for r in p.restrictions
        ],
        "checklist": [
            {"id": c.id, "title": c.title, "sources": list(c.sources), "from": where(c.origin)}
            for c in p.checklist
        ],
        "red_flags": [
            {
                "id": f.id,
                "level": f.level,
                "title": f.title,
                "after_hours": f.after_hours,
                "sources": list(f.sources),
                "from": f.where_from(p.clinic),
                "beyond_the_articles": f.beyond_sources or None,
                "threshold": f.threshold or None,
                "threshold_is": (
                    None
                    if not f.threshold
                    else "set by the clinic"
                    if f.origin == "clinic"
                    else OWN_THRESHOLD
                ),
                "min_soreness": f.min_soreness,
                "min_fatigue": f.min_fatigue,
                "min_rise": f.min_rise,
            }
            for f in p.red_flags
        ],
        "thresholds_note": p.thresholds_note,
        "when_to_get_help": p.get_help.line,
    }
    if args.json:
        print_json(data)
        return EXIT_OK
    lines = [f"Protocol in effect: {p.name}"]
    if p.clinic:
        lines.append(f"Clinic: {p.clinic.contact_line()} (its instructions override the general guidance)")
    if p.earlier:
        lines.append("Earlier sessions keep the protocol that was in effect for them.")
    rows = [["Restriction", "Standard", "Intense", "From"]]
    for r in p.restrictions:
        std = f"{r.hours['standard']:g} h" if r.hours else "untimed"
        intense = f"{r.hours['intense']:g} h" if r.hours else "untimed"
        rows.append([r.title, std, intense, where(r.origin)])
    lines += ["", *render.table(rows, indent="")]
    for r in p.restrictions:
        for text in (r.own_choice, r.labelled_note):
            if text:
                lines += render.wrapped(f"{r.title}: {text}", "  ")
    rows = [["Checklist item", "From"]] + [[c.title, where(c.origin)] for c in p.checklist]
    lines += ["", *render.table(rows, indent="")]
    rows = [["Red flag", "Level", "From"]]
    rows += [[f.title, f.level, f.where_from(p.clinic)] for f in p.red_flags]
    lines += ["", *render.table(rows, indent="")]
    for f in p.red_flags:
        if f.articles_title:
            lines += render.wrapped(f"{f.titled(p.clinic)}.", "  ")
    for f in p.red_flags:
        if f.beyond_sources:
            lines += render.wrapped(f"{f.title}: beyond the articles. {f.beyond_sources}", "  ")
    lines += ["", *render.wrapped(f"What companion checks (each number is {OWN_THRESHOLD}):")]
    for f in p.red_flags:
        if f.threshold:
            by = (
                f" (as {p.clinic.name if p.clinic else 'your clinic'} set it)" if f.origin == "clinic" else ""
            )
            lines += render.wrapped(f"- {f.title}: {f.threshold}{by}.", "  ")
    lines += render.wrapped(p.thresholds_note)
    print("\n".join(lines))
    return EXIT_OK


def protocol_reset(ctx: Context, args: argparse.Namespace) -> int:
    if ctx.store.clinic_text() is None:
        print("No clinic protocol was in effect: nothing to reset.")
        return EXIT_OK
    ctx.store.set_clinic_text(None)
    ctx.reload_protocol()
    print(f"Back to the general guidance. {_applies_from(ctx)}")
    return EXIT_OK


def appointment_add(ctx: Context, args: argparse.Namespace) -> int:
    appt = new_appointment(clock.parse_when(args.at), args.note)
    ctx.store.add_appointment(appt)
    now = clock.now()
    print(appt.id)
    print(
        f"Follow-up recorded for {timefmt.clock_time(appt.at, now)} ({time_until(appt.at, now)}).",
        file=sys.stderr,
    )
    return EXIT_OK


def appointment_list(ctx: Context, args: argparse.Namespace) -> int:
    now = clock.now()
    appts = ctx.store.appointments() if args.all else upcoming(ctx.store.appointments(), now)
    if args.json:
        print_json([a.to_record() for a in appts])
        return EXIT_OK
    if not appts:
        print("No upcoming follow-up appointments." if not args.all else "No appointments recorded.")
        return EXIT_OK
    rows = [["When", "In", "Note", "Id"]]
    short = short_ids(a.id for a in ctx.store.appointments())
    for a in appts:
        left = clock.elapsed_seconds(now, a.at)
        rows.append(
            [
                timefmt.dated(a.at),
                timefmt.duration(left) if left >= 0 else "past",
                a.note or "-",
                short[a.id],
            ]
        )
    print("\n".join(render.table(rows, indent="")))
    return EXIT_OK


def appointment_remove(ctx: Context, args: argparse.Namespace) -> int:
    ids = [a.id for a in ctx.store.appointments()]
    return _remove(
        "appointment", ctx.store.remove_appointment, args.id, ids, "companion appointment list --all"
    )


def exercise_add(ctx: Context, args: argparse.Namespace) -> int:
    exercise = new_exercise(
        name=args.name,
        sets=args.sets,
        reps=args.reps,
        minutes=args.minutes,
        per_day=args.per_day,
        note=args.note,
    )
    ctx.store.add_exercise(exercise)
    print(exercise.id)
    print(f"Added {exercise.name}: {exercise.dose}.", file=sys.stderr)
    return EXIT_OK


def _find_exercise(ctx: Context, given: str) -> Exercise:
    exercises = {ex.id: ex for ex in ctx.store.exercises()}
    return exercises[resolve_id(given, exercises, field="id", kind="exercise", see="companion exercise list")]


def exercise_list(ctx: Context, args: argparse.Namespace) -> int:
    today = clock.today()
    done = ctx.store.checklist_day(today).done
    exercises = ctx.store.exercises()
    if args.json:
        print_json([{**e.to_record(), "done_today": len(set(e.tick_ids()) & done)} for e in exercises])
        return EXIT_OK
    if not exercises:
        print(
            "No home exercises recorded. Add one with:\n"
            "  companion exercise add --name 'chin tucks' --sets 3 --reps 10"
        )
        return EXIT_OK
    rows = [["Exercise", "Prescribed", "Today", "Id"]]
    short = short_ids(e.id for e in exercises)
    for e in exercises:
        rows.append([e.name, e.dose, f"{len(set(e.tick_ids()) & done)} of {e.per_day}", short[e.id]])
    print("\n".join(render.table(rows, indent="")))
    return EXIT_OK


def exercise_done(ctx: Context, args: argparse.Namespace) -> int:
    exercise = _find_exercise(ctx, args.id)
    today = clock.today()

    def change(day: ChecklistDay) -> ChecklistDay:
        ticks = exercise.tick_ids()
        if args.undo:
            ticked = [t for t in ticks if t in day.done]
            if not ticked:
                raise InputError("--undo", f"no round of {exercise.name} is ticked today")
            return day.with_item(ticked[-1], False)
        free = [t for t in ticks if t not in day.done]
        if not free:
            raise InputError(
                "ID", f"all {count(exercise.per_day, 'round')} of {exercise.name} are already ticked today"
            )
        return day.with_item(free[0], True)

    day = ctx.store.update_checklist(today, change)
    done = len(set(exercise.tick_ids()) & day.done)
    print(f"{exercise.name}: {done} of {exercise.per_day} done today.")
    return EXIT_OK


def exercise_remove(ctx: Context, args: argparse.Namespace) -> int:
    ids = [e.id for e in ctx.store.exercises()]
    return _remove("exercise", ctx.store.remove_exercise, args.id, ids, "companion exercise list")


def remind(ctx: Context, args: argparse.Namespace) -> int:
    snapshot = queries.load_status(ctx.store, ctx.protocol, ctx.zone)
    due = [worded(r) for r in due_reminders(snapshot)]
    line = reminder_line(due)
    if args.json:
        print_json({"now": clock.iso(snapshot.now), "due": [r.to_json() for r in due], "line": line})
        return EXIT_OK
    if args.notify and due:
        from companion.cli.notify import send_notification

        if send_notification("companion", line):
            return EXIT_OK
    print(line)
    return EXIT_OK


def worded(reminder: Reminder) -> Reminder:
    """A reminder as the command line says it: with the command that acts on it."""
    if reminder.kind == "checkin":
        return replace(reminder, text=f"{reminder.text.removesuffix('.')}: companion checkin.")
    return reminder


def took(ctx: Context, args: argparse.Namespace) -> int:
    at = clock.parse_when(args.at) if args.at is not None else None
    entry = new_intake(args.what, at, args.amount, ctx.protocol.substances)
    ctx.store.add_intake(entry)
    check = check_intake(ctx.protocol, ctx.store.sessions(), entry)
    if args.json:
        print_json(
            {
                **entry.to_record(),
                "during_restriction": check.during_restriction,
                "remaining_seconds": check.remaining_seconds,
                "message": check.message,
            }
        )
    else:
        print(check.message)
    return EXIT_OK


def ask(ctx: Context, args: argparse.Namespace) -> int:
    if args.done is not None:
        if args.text:
            raise UsageError("companion ask: give either a question or --done")
        ids = None
        if args.done != "all":
            open_ids = [q.id for q in ctx.store.questions() if not q.done]
            ids = [
                resolve_id(
                    args.done, open_ids, field="done", kind="open question", see="companion ask --list"
                )
            ]
        changed = ctx.store.mark_questions_done(ids, clock.now())
        print(f"{count(changed, 'question')} marked as asked.")
        return EXIT_OK
    if args.text is not None and not args.list:
        question = new_question(args.text)
        ctx.store.add_question(question)
        if args.json:
            print_json(question.to_record())
        else:
            print(f"Noted for your physiotherapist ({question.id}). It will head your next report.")
        return EXIT_OK
    questions = ctx.store.questions()
    if args.json:
        print_json([q.to_record() for q in questions])
        return EXIT_OK
    open_ones = [q for q in questions if not q.done]
    if not open_ones:
        print('No open questions. Add one with: companion ask "Can I swim tomorrow?"')
        return EXIT_OK
    rows = [["Id", "Question", "Noted"]]
    short = short_ids(q.id for q in questions)
    rows += [[short[q.id], q.text, clock.to_local(q.asked_at).format("ddd D MMM")] for q in open_ones]
    print("\n".join(render.table(rows, indent="")))
    return EXIT_OK
