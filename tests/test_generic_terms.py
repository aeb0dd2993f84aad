from __future__ import annotations

import pytest

from ptmo_middleware.plugins.classifiers.generic_terms import is_generic


@pytest.mark.parametrize("value", ["Linux", "Python's", "C++", "Node.js", "Ubuntu and Windows", "ChatGPT",
                                   "Celsius", "Excel / PowerPoint", "the Kubernetes"])
def test_generic_values(value: str) -> None:
    assert is_generic(value)


@pytest.mark.parametrize("value", ["Sharon", "Python Institute of Berlin", "Acme Linux Ltd", "and", "", "Java Street", "Google"])
def test_values_with_anything_else_are_not_generic(value: str) -> None:
    assert not is_generic(value)
