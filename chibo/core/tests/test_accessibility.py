"""Touch and sight on every page a persona reaches from the menu (and the live meeting), at 375 px and at
1280 px: axe-core (axe-playwright-python) finds no serious or critical violation (contrast 4.5:1, names of
controls, WCAG 2.2's 24-px target size); primary actions are at least 44 px high.

The figures (pages × widths, violations by impact) are printed; CHIBO_AXE_REPORT=path also writes them."""

import json
import os
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from chibo.meetings.tests.conftest import plan_meeting

WIDTHS = {375: {"width": 375, "height": 812}, 1280: {"width": 1280, "height": 900}}
BLOCKING = {"serious", "critical"}
# Default axe rules plus WCAG 2.2's minimum target size (24 × 24 px), off by default in axe.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
# Buttons that carry the page's main actions must be at least 44 px high (.linklike: text links in a sentence).
SMALL_PRIMARY_JS = """() => [...document.querySelectorAll(
    'main button:not(.linklike), main .button, main input[type=submit]')]
  .filter(el => el.offsetParent !== null && el.getBoundingClientRect().height < 43.5)
  .map(el => (el.innerText || el.value || el.outerHTML).trim().slice(0, 60))"""


def _menu_urls(page) -> list[str]:  # type: ignore[no-untyped-def]
    hrefs = page.eval_on_selector_all("nav.mainnav a[href]", "els => els.map(e => e.getAttribute('href'))")
    return sorted({h for h in hrefs if h.startswith("/") and not h.endswith(".ics")})


@pytest.mark.browser
def test_no_serious_or_critical_violation_on_any_page_from_the_menu_at_375_and_1280(phone, world):  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    meeting = plan_meeting(world.anhoa)
    live = reverse("meetings:live", args=[meeting.pk])
    axe = Axe()
    visited: list[tuple[str, str, int]] = []
    impacts: Counter[str] = Counter()
    problems: list[str] = []
    for persona in ("anhoa_secretary", "anhoa_member", "ward_officer"):
        user = getattr(world, persona)
        for width, viewport in WIDTHS.items():
            page = phone(user, viewport=viewport)
            page.goto(reverse("core:home"))
            urls = [reverse("core:home"), *_menu_urls(page)]
            if persona != "ward_officer":
                urls.append(live)
            for url in urls:
                response = page.goto(url)
                assert response is not None and response.status < 400, (
                    f"{persona} {url}: {response and response.status}"
                )
                results = axe.run(page, options=AXE_OPTIONS)
                visited.append((persona, urlsplit(url).path, width))
                for v in results.response["violations"]:
                    impacts[v["impact"]] += 1
                    if v["impact"] in BLOCKING:
                        targets = [n["target"] for n in v["nodes"]][:3]
                        problems.append(f"{persona} {url} @{width}: {v['id']} ({v['impact']}) {targets}")
                small = page.evaluate(SMALL_PRIMARY_JS)
                if small:
                    problems.append(f"{persona} {url} @{width}: buttons under 44 px: {small}")
            page.context.close()
    pages = {(p, u) for p, u, _w in visited}
    summary = {"pages": len(pages), "widths": len(WIDTHS), "runs": len(visited), "violations": dict(impacts)}
    print("axe:", json.dumps(summary))
    if report := os.environ.get("CHIBO_AXE_REPORT"):
        Path(report).write_text(json.dumps(summary | {"problems": problems}, ensure_ascii=False, indent=1))
    assert len(pages) >= 25  # the menus really were followed
    assert not problems, "\n".join(problems)
