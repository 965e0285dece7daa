"""What a wait depends on reads in the Model page's language: the steps around it and the
visit in words, a case attribute by its own name."""

from __future__ import annotations

import pytest

from sim.distributions import Fixed
from sim.model import AROUND, VISIT, AttributeDelays
from ui.app import i18n
from ui.app.views.model import _depends_on


def test_a_wait_on_two_factors_is_named_in_words_in_either_language(
        monkeypatch: pytest.MonkeyPatch) -> None:
    pair = AttributeDelays(attribute=AROUND, also=VISIT, values={"A → B | 1": Fixed(value=60)})
    by_terms = AttributeDelays(attribute="payment_terms", values={"Net 30": Fixed(value=60)})
    assert _depends_on(pair) == "the steps before and after + the visit (1st, 2nd, 3rd+)"
    assert _depends_on(by_terms) == "payment_terms"
    assert _depends_on(None) == ""
    monkeypatch.setattr(i18n, "language", lambda: "ja")
    assert _depends_on(pair) == "前後のステップ + 何回目か(1・2・3 回目以降)"
    assert _depends_on(by_terms) == "payment_terms"
