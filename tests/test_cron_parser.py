"""schedules.cron is the one cron parser in production; cronsim, read independently, is the
oracle: both accept and refuse the same expressions, and a refusal names the field."""

from __future__ import annotations

from datetime import datetime

import pytest
from cronsim import CronSim, CronSimError

from generator.schedules.cron import CronSyntaxError, parse_cron
from generator.schedules.rules import cron_problem

EXPRESSIONS = [
    "0 0 30 2 *",  # February never has a 30th
    "0 0 31 4,6,9,11 *",  # nor do these months a 31st
    "0 0 31 2-4 *",  # March has
    "0 0 29 2 *",  # leap years
    "0 0 30 2 1",  # both day fields restricted: Mondays in February still run
    "0 0 L 2 *",
    "61 * * * *",
    "* 24 * * *",
    "* * 0 * *",
    "* * * 13 *",
    "* * * * 8",
    "*/0 * * * *",
    "5-1 * * * *",
    "*/15 6-18 1,15 * MON-FRI",
    "0 12 * JAN,JUL SUN",
    "0 3 * * 1#2",
    "0 3 * * 5L",
    "0 3 LW * *",
]


def _cronsim_accepts(expression: str) -> bool:
    try:
        CronSim(expression, datetime(2000, 1, 1))
    except CronSimError:
        return False
    return True


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_production_parser_agrees_with_cronsim(expression: str) -> None:
    try:
        parse_cron(expression)
        accepted = True
    except CronSyntaxError:
        accepted = False
    assert accepted == _cronsim_accepts(expression)
    assert (cron_problem(expression) is None) == accepted


def test_a_day_that_never_exists_is_refused_at_its_field() -> None:
    with pytest.raises(CronSyntaxError) as caught:
        parse_cron("0 0 30 2 *")
    assert caught.value.field == "day-of-month"
    assert cron_problem("0 0 30 2 *") == "invalid cron expression '0 0 30 2 *': Bad day-of-month"
