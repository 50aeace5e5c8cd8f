"""`companion course` as text: the sessions table, the ratings by week, the change sentence.

Everything fits 80 columns: cells wrap onto more lines rather than being cut.
"""

from __future__ import annotations

from companion.cli.wrapped_table import WIDTH, wrapped, wrapped_table
from companion.core.course import (
    COLUMNS,
    COLUMNS_NOTE,
    FREE_TEXT_COLUMNS,
    SCALES_NOTE,
    Course,
    measure_headings,
    short_day,
)


def course_text(course: Course, width: int = WIDTH) -> str:
    lines = ["Course of treatment"]
    if course.complaint is not None:
        lines += wrapped(f"What you see your physiotherapist for: {course.complaint.text}", width)
    else:
        lines += wrapped(
            "No complaint named yet: name it with companion complaint 'stiff neck when driving'.", width
        )
    lines.append("")
    if not course.rows:
        lines.append("No session recorded yet.")
    else:
        lines.append(f"Sessions ({len(course.rows)}), oldest first")
        table = [[heading for _, heading in COLUMNS]]
        for row in course.rows:
            cells = row.cells(course.labels)
            table.append([cells[key] for key, _ in COLUMNS])
        free = [i for i, (key, _) in enumerate(COLUMNS) if key in FREE_TEXT_COLUMNS]
        lines += wrapped_table(table, width, wrap=free)
        lines += wrapped(COLUMNS_NOTE, width)
    if course.measures:
        lines += ["", "Ratings by week (the last rating of each week)"]
        names = measure_headings(course.measures)
        table = [["Week of Mon", *names, "Sessions"]]
        for week in course.weeks:
            values = [week.values.get(m.key) for m in course.measures]
            table.append(
                [
                    short_day(week.monday),
                    *("-" if v is None else str(v) for v in values),
                    str(week.sessions) if week.sessions else "-",
                ]
            )
        lines += wrapped_table(table, width)
        keys = [
            f"{name} {measure.label}"
            for name, measure in zip(names, course.measures, strict=True)
            if measure.activity is not None
        ]
        if keys:
            lines += wrapped("Activities: " + "; ".join(keys) + ".", width)
        lines += wrapped(SCALES_NOTE, width)
    lines.append("")
    lines += wrapped(course.sentence, width)
    lines.append("")
    lines += wrapped(
        "companion is a reminder, not a clinician: your physiotherapist's word comes first.", width
    )
    return "\n".join(lines)
