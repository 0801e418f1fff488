"""The page checks fail on what they are there to catch (no browser needed)."""

from __future__ import annotations

import pytest

from .page_checks import missing, problems

GOOD_PAGE = ["Brisket Smoker · Brisket Flat", "Temperature", "160.0 °F", "Cook phase", "Stall"]


def test_a_good_page_has_no_problems() -> None:
    assert problems(GOOD_PAGE) == []
    assert missing(GOOD_PAGE, ["160.0 °F"]) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("component.grill_stats.entity.sensor.cook_phase.name", "raw translation key"),
        ("ui.panel.config.integrations.config_flow.error", "raw translation key"),
        ("state.grill_stats.cook_phase.stall", "raw translation key"),
        ("grill_stats.create_dashboard", "raw key or id"),
        ("Unavailable", "'Unavailable'"),
        ("unavailable", "'Unavailable'"),
        ("Loading…", "still loading"),
        ("Loading...", "still loading"),
        (
            "Starting radio_browser. Not everything will be available until startup is finished.",
            "still starting",
        ),
    ],
)
def test_each_check_fails_on_what_it_catches(text: str, problem: str) -> None:
    found = problems([*GOOD_PAGE, text])
    assert len(found) == 1
    assert problem in found[0]


def test_an_allowed_id_is_not_a_problem() -> None:
    assert (
        problems(["grill_stats.create_dashboard"], allowed=["grill_stats.create_dashboard"]) == []
    )


def test_a_value_not_on_the_page_is_missing() -> None:
    assert missing(GOOD_PAGE, ["160.0 °F", "187.3 °F"]) == ["187.3 °F"]
