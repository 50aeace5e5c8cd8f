"""The course of treatment on the command line: complaint, activity add|rate|list|remove, course."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from companion import queries
from companion.cli import render
from companion.cli.arguments import UsageError, fields_named
from companion.cli.output import EXIT_OK, print_json
from companion.context import Context
from companion.core import clock
from companion.core.activities import (
    MAX_ACTIVITIES,
    RATE_EVERY_DAYS,
    SCORE_ANCHORS,
    Activity,
    Rating,
    find_activity,
    followed,
    latest_rating,
    new_activity,
    new_rating,
    ratings_due,
    retired,
    scores_of,
    validate_score,
)
from companion.core.complaint import PAIN_ANCHORS, current
from companion.core.errors import InputError
from companion.core.ids import short_ids

# --------------------------------------------------------------------------- complaint


def complaint(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store
    if args.clear and args.text is not None:
        raise UsageError("companion complaint: give either the complaint or --clear")
    if args.clear or args.text is not None:
        if args.text is not None and not args.text.strip():
            raise InputError("text", "is empty: say what you see your physiotherapist for, or use --clear")
        queries.name_complaint(store, "" if args.clear else args.text)
    history = store.complaints()
    now = current(history)
    if args.json:
        print_json({"complaint": now.to_json() if now else None, "history": [c.to_json() for c in history]})
        return EXIT_OK
    if now is None:
        print(
            "No complaint named. Say what you see your physiotherapist for, in your own words:\n"
            "  companion complaint 'stiff neck when driving'"
        )
        return EXIT_OK
    print(f"What you see your physiotherapist for: {now.text}")
    print(f"(named {render.day_label(clock.to_local(now.set_at).date())})")
    if args.text is not None:
        print(
            "Rate its usual pain in your check-in, apart from the soreness after needling:\n"
            f"  companion checkin --soreness 0-10 --fatigue 0-10 --usual-pain 0-10  ({PAIN_ANCHORS})"
        )
    return EXIT_OK


# --------------------------------------------------------------------------- activities


def _rating_json(rating: Rating) -> dict[str, object]:
    return {"date": rating.date.isoformat(), "score": rating.score}


def _activity_json(
    activity: Activity, number: int | None, ratings: list[Rating], due: bool
) -> dict[str, object]:
    mine = scores_of(activity, ratings)
    return {
        **activity.to_record(),
        "number": number,
        "ratings": [_rating_json(r) for r in mine],
        "latest": _rating_json(mine[-1]) if mine else None,
        "due": due,
    }


def activity_add(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store
    if args.score is not None:
        validate_score(args.score)  # named before any question of the name
    activity = new_activity(args.name, store.activities())
    rating = new_rating(activity, args.score) if args.score is not None else None
    with store.write_lock():
        store.add_activity(activity)
        if rating is not None:
            store.save_ratings([rating])
    if args.json:
        print_json(
            _activity_json(activity, len(followed(store.activities())), [rating] if rating else [], False)
        )
        return EXIT_OK
    print(activity.id)
    number = len(followed(store.activities()))
    if rating is None:
        hint = f"Rate it now (the starting point): companion activity rate {number} 0-10  ({SCORE_ANCHORS})"
    else:
        hint = f"Rated {rating.score}/10 today: the starting point. companion asks again in a week."
    print(f"Activity {number} added: {activity.name}. {hint}", file=sys.stderr)
    return EXIT_OK


def _pairs(ctx: Context, args: argparse.Namespace) -> list[tuple[Activity, str]]:
    activities = ctx.store.activities()
    values = list(args.values)
    if args.all:
        current = followed(activities)
        if not current:
            raise InputError(
                "ACTIVITY", "no activity is followed yet; add one with 'companion activity add NAME'"
            )
        if len(values) != len(current):
            names = ", ".join(f"{n} {a.name}" for n, a in enumerate(current, start=1))
            raise InputError(
                "SCORE",
                f"--all takes {len(current)} scores, one per activity in this order: {names}; "
                f"got {len(values)}",
            )
        return list(zip(current, values, strict=True))
    if len(values) % 2:
        raise UsageError(
            "companion activity rate: give ACTIVITY SCORE pairs (e.g. 'rate 1 7 2 4'), "
            "or --all with one score per activity"
        )
    pairs: list[tuple[Activity, str]] = []
    for ref, score in zip(values[::2], values[1::2], strict=True):
        activity = find_activity(activities, ref)
        if any(a.id == activity.id for a, _ in pairs):
            raise InputError("ACTIVITY", f"{activity.name!r} is named twice")
        pairs.append((activity, score))
    return pairs


def activity_rate(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store
    day = clock.parse_day(args.date) if args.date is not None else None
    with fields_named(activity_id="ACTIVITY"):
        pairs = _pairs(ctx, args)
    before = store.all_ratings()
    ratings = []
    for activity, score in pairs:
        with fields_named(activity_id="ACTIVITY", score=f"SCORE for {activity.name!r}"):
            ratings.append(new_rating(activity, score, day))
    store.save_ratings(ratings)
    if args.json:
        print_json([{**r.to_record(), "name": a.name} for r, (a, _) in zip(ratings, pairs, strict=True)])
        return EXIT_OK
    parts = []
    for rating, (activity, _) in zip(ratings, pairs, strict=True):
        earlier = [r for r in scores_of(activity, before) if r.date < rating.date]
        was = f" (was {earlier[-1].score} on {render.day_label(earlier[-1].date)})" if earlier else ""
        parts.append(f"{activity.name} {rating.score}/10{was}")
    print(f"Rated for {render.day_label(ratings[0].date)}: {'; '.join(parts)}.")
    return EXIT_OK


def activity_list(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store
    activities = store.activities()
    ratings = store.all_ratings()
    today = clock.today()
    due_ids = {d.activity.id for d in ratings_due(activities, ratings, today)}
    current = followed(activities)
    shown = activities if args.all else current
    numbers = {a.id: n for n, a in enumerate(current, start=1)}
    if args.json:
        print_json([_activity_json(a, numbers.get(a.id), ratings, a.id in due_ids) for a in shown])
        return EXIT_OK
    if not shown:
        print(
            "No activities followed. Name one the problem makes hard (up to "
            f"{MAX_ACTIVITIES}), with its score now:\n"
            "  companion activity add 'reversing the car' --score 4"
        )
        return EXIT_OK
    rows = [["#", "Activity", "Latest", "Next rating", "Id"]]
    short = short_ids(a.id for a in activities)
    for a in shown:
        last = latest_rating(a, ratings)
        latest = f"{last.score} on {render.day_label(last.date)}" if last else "not rated"
        if not a.active:
            nxt = f"retired {render.day_label(a.retired_on)}" if a.retired_on else "retired"
        elif a.id in due_ids:
            nxt = "due now"
        else:
            assert last is not None  # not due means rated in the last week
            nxt = render.day_label(last.date + dt.timedelta(days=RATE_EVERY_DAYS))
        rows.append([str(numbers.get(a.id, "-")), a.name, latest, nxt, short[a.id]])
    print(f"Activities ({SCORE_ANCHORS}):")
    print("\n".join(render.table(rows)))
    if due_ids:
        print("Rate them with: companion activity rate NUMBER SCORE (or --all SCORE...)")
    return EXIT_OK


def activity_remove(ctx: Context, args: argparse.Namespace) -> int:
    store = ctx.store
    activity = find_activity(store.activities(), args.activity_id)
    if not activity.active:
        raise InputError("activity_id", f"{activity.name!r} is already retired")
    if scores_of(activity, store.all_ratings()):
        store.update_activity(retired(activity, clock.today()))
        print(f"{activity.name} retired: its ratings stay in your course; it is not asked about again.")
    else:
        store.remove_activity(activity.id)
        print(f"{activity.name} removed (it had no ratings).")
    return EXIT_OK


# --------------------------------------------------------------------------- the course


def course(ctx: Context, args: argparse.Namespace) -> int:
    result = queries.load_course(ctx.store, ctx.protocol)
    if args.json:
        print_json(result.to_json())
        return EXIT_OK
    from companion.cli.course_text import course_text

    print(course_text(result))
    return EXIT_OK
