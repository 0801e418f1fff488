"""What must never be on a page a user sees: the checks the browser tests run on every page.

Pure functions over the page's text (every text node, shadow roots included), so each check is
tested on its own against text that breaks it (test_page_checks.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

DEEP_TEXT_JS = """() => {
  const parts = [];
  const visit = (node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const text = node.textContent.trim();
      if (text) parts.push(text);
      return;
    }
    if (node.nodeType === Node.ELEMENT_NODE) {
      if (['STYLE', 'SCRIPT', 'TEMPLATE'].includes(node.tagName)) return;
      if (node.shadowRoot) visit(node.shadowRoot);
    }
    for (const child of node.childNodes) visit(child);
  };
  visit(document.body);
  return parts;
}"""
"""Every text of the page, through shadow roots (Home Assistant's frontend is web components)."""

LAUNCH_SCREEN_JS = """() => {
  const screen = document.getElementById('ha-launch-screen');
  return screen !== null && screen.offsetParent !== null;
}"""
"""True while the "Loading…" launch screen is still shown."""

RAW_KEY = re.compile(r"\b(component|ui|state|state_attributes|config)\.[a-z0-9_]+\.[a-z0-9_.]+\b")
"""A translation key shown instead of its text, e.g. ``component.grill_stats.entity.sensor``."""
DOMAIN_KEY = re.compile(r"\bgrill_stats\.[a-z_]+\b")
UNAVAILABLE = re.compile(r"^unavailable$", re.IGNORECASE)
LOADING = re.compile(r"^loading(…|\.\.\.)?$", re.IGNORECASE)
STARTING = re.compile(r"Not everything will be available until startup is finished")


def problems(texts: Iterable[str], *, allowed: Iterable[str] = ()) -> list[str]:
    """What is wrong on a page: raw translation keys, "Unavailable", a page still loading.

    ``allowed`` names texts that may contain ``grill_stats.`` (an action id the page lists).
    """
    allowed_texts = set(allowed)
    found: list[str] = []
    for text in texts:
        if RAW_KEY.search(text):
            found.append(f"raw translation key: {text!r}")
        elif DOMAIN_KEY.search(text) and text not in allowed_texts:
            found.append(f"raw key or id: {text!r}")
        if UNAVAILABLE.match(text):
            found.append("a value shows 'Unavailable'")
        if LOADING.match(text):
            found.append("the page is still loading")
        if STARTING.search(text):
            found.append("Home Assistant is still starting")
    return found


def missing(texts: Iterable[str], expected: Iterable[str]) -> list[str]:
    """The expected values (e.g. "251.5 °F") not shown anywhere on the page."""
    page = "\n".join(texts)
    return [value for value in expected if value not in page]
