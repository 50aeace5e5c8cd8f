"""The guidance protocol: shipped data loads, broken files name item and field."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from companion.core.errors import ProtocolError
from companion.core.protocol import default_protocol, guidance_path, parse_protocol

GUIDANCE_IDS = {
    "restriction": {
        "strenuous-activity",
        "alcohol",
        "caffeine",
        "anti-inflammatories",
        "direct-heat",
        "deep-pressure",
    },
    "checklist": {
        "rest",
        "hydrate",
        "gentle-movement",
        "stretch",
        "soothe",
        "monitor",
        "communicate",
        "home-exercises",
        "nourish",
        "self-care",
        "follow-up",
    },
    "reaction": {"soreness", "fatigue", "bruising", "flare-up", "relief"},
    "red_flag": {
        "long-soreness",
        "worsening",
        "severe-pain",
        "long-fatigue",
        "heavy-bruising",
        "unusual",
        "urgent-breathing",
    },
}


def raw() -> dict:
    return tomllib.loads(guidance_path().read_text(encoding="utf-8"))


def test_shipped_protocol_carries_every_guidance_item_with_sources() -> None:
    p = default_protocol()
    assert {r.id for r in p.restrictions} == GUIDANCE_IDS["restriction"]
    assert {c.id for c in p.checklist} == GUIDANCE_IDS["checklist"]
    assert {r.id for r in p.reactions} == GUIDANCE_IDS["reaction"]
    assert {f.id for f in p.red_flags} == GUIDANCE_IDS["red_flag"]
    for item in (*p.restrictions, *p.checklist, *p.reactions):
        assert item.sources, item.id
    urgent = p.red_flag("urgent-breathing")
    assert urgent is not None and urgent.level == "urgent"
    assert "not from the three after-care articles" in urgent.beyond_sources


def test_timed_restrictions_are_24_h_standard_and_48_h_intense() -> None:
    p = default_protocol()
    timed = {r.id: r.hours for r in p.restrictions if r.timed}
    assert set(timed) == {"strenuous-activity", "alcohol", "caffeine", "anti-inflammatories"}
    for hours in timed.values():
        assert hours == {"standard": 24.0, "intense": 48.0}


def test_direct_heat_disagreement_is_kept_not_resolved() -> None:
    heat = next(r for r in default_protocol().restrictions if r.id == "direct-heat")
    assert heat.hours is None
    assert heat.disagreement is not None
    assert {v.source for v in heat.disagreement.views} == {"000", "001", "002"}


def test_wording_is_not_copied_from_the_sources() -> None:
    seeds = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("shared/seeds not beside the checkout")
    articles = " ".join(p.read_text(encoding="utf-8") for p in seeds.glob("*.txt")).lower()
    p = default_protocol()
    texts = [r.why for r in p.restrictions] + [c.detail for c in p.checklist] + [c.why for c in p.checklist]
    for text in texts:
        words = text.lower().split()
        # no run of 8 consecutive words appears verbatim in the articles
        for i in range(len(words) - 7):
            assert " ".join(words[i : i + 8]) not in articles, text


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["restriction"][1].pop("why"), "restriction 'alcohol', field 'why': is missing"),
        (
            lambda d: d["restriction"][0]["hours"].update(intense=-1),
            "restriction 'strenuous-activity', field 'hours.intense'",
        ),
        (
            lambda d: d["checklist"][2].update(sources=["009"]),
            "checklist item 'gentle-movement', field 'sources'",
        ),
        (lambda d: d["red_flag"][0].update(level="panic"), "red flag 'long-soreness', field 'level'"),
        (
            lambda d: d["checklist"].append(dict(d["checklist"][0])),
            "checklist item 'rest': the id appears more than once",
        ),
        (lambda d: d.update(schema=2), "field 'schema'"),
    ],
)
def test_broken_protocol_names_item_and_field(mutate, expected: str) -> None:
    data = raw()
    mutate(data)
    with pytest.raises(ProtocolError) as err:
        parse_protocol(data)
    assert expected in str(err.value)


def test_a_red_flag_text_naming_hours_it_does_not_have_is_refused() -> None:
    from companion.core.clinic import effective_protocol
    from companion.core.errors import ProtocolError

    clinic = (
        "schema = 1\n[[red_flag]]\nid = 'night-pain'\nlevel = 'contact-clinician'\n"
        "title = 'Pain at night after {after_hours} hours'\nmessage = 'Call us.'\nsources = []\n"
    )
    with pytest.raises(ProtocolError, match=r"night-pain.*after_hours"):
        effective_protocol(clinic)
