"""Helpers shared by the test suites of every app (imported by tests only)."""

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")

# Added to every browser page before the site's own scripts run (conftest.py `page_as`):
# each Content Security Policy violation of the document is kept for `csp_violations`.
CSP_RECORDER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push({
        directive: event.effectiveDirective,
        blocked: event.blockedURI,
        sample: event.sample,
        source: event.sourceFile,
        line: event.lineNumber,
    });
}, true);
"""


def assert_constant_queries(
    fetch: Callable[[], Any], grow: Callable[[int], None], sizes: tuple[int, ...] = (5, 50)
) -> int:
    """Grow the data to each size, fetch, and require the same number of queries.

    `grow(n)` adds n more rows; `fetch()` does the work being measured (usually a
    client.get of a list page). Returns the count so the caller can pin it.
    """
    counts: dict[int, int] = {}
    statements: dict[int, list[str]] = {}
    have = 0
    for size in sizes:
        grow(size - have)
        have = size
        with CaptureQueriesContext(connection) as captured:
            fetch()
        counts[size] = len(captured)
        statements[size] = [q["sql"] for q in captured.captured_queries]
    if len(set(counts.values())) != 1:
        detail = "\n".join(f"  {size} rows: {n} queries" for size, n in counts.items())
        last = "\n".join(statements[sizes[-1]])
        raise AssertionError(f"Query count grows with the data:\n{detail}\nLast run:\n{last}")
    return counts[sizes[0]]


def record_csp_violations(page) -> None:
    """Keep what the page's console says about the policy, too (e.g. a directive's typo)."""
    page.csp_console = []

    def keep(message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            page.csp_console.append(f"{page.url}: {message.text}")

    page.on("console", keep)


def csp_violations(page) -> list[str]:
    """The policy violations of the page's current document and its console so far."""
    events = page.evaluate("() => window.__cspViolations || null")
    if events is None:
        raise AssertionError("The CSP recorder is missing: open pages with `page_as`.")
    found = [
        f"{page.url}: {e['directive']} blocked {e['blocked'] or 'inline'}"
        f" ({e['source']}:{e['line']}) {e['sample']!r}"
        for e in events
    ]
    return found + list(getattr(page, "csp_console", []))


def assert_no_csp_violations(page) -> None:
    found = csp_violations(page)
    if found:
        raise AssertionError("Content Security Policy violations:\n" + "\n".join(found))


def axe_violations(page, impacts: tuple[str, ...] = BLOCKING_IMPACTS) -> list[dict]:
    """Run axe-core in the page and return its violations of the given impacts."""
    if not AXE_SCRIPT.exists():
        raise AssertionError(f"axe-core is not installed at {AXE_SCRIPT}: run `npm ci`.")
    # Evaluated through the browser's DevTools protocol rather than added as a <script>
    # element: the site's Content Security Policy (rightly) blocks inline scripts.
    page.evaluate(AXE_SCRIPT.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in impacts]


def assert_accessible(page) -> None:
    """Fail on any serious or critical axe-core violation, naming the elements.

    Every page checked for accessibility is checked against the site's Content Security
    Policy first (before axe-core itself runs in the page).
    """
    assert_no_csp_violations(page)
    violations = axe_violations(page)
    if violations:
        lines = [f"{len(violations)} serious/critical accessibility violations on {page.url}:"]
        for violation in violations:
            lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']}")
            for node in violation["nodes"][:5]:
                lines.append(f"    {json.dumps(node['target'])}: {node['failureSummary']}")
        raise AssertionError("\n".join(lines))


def loaded_token(client, url: str) -> str:
    """The hidden version token of the form at `url`, as a browser tab holds it once loaded."""
    import re

    page = client.get(url).content.decode()
    found = re.search(r'name="loaded_as" value="([^"]*)"', page)
    if found is None:
        raise AssertionError(f"The form at {url} carries no loaded_as token")
    return found.group(1)


def post_loaded(client, url: str, data: dict, *, follow: bool = False):
    """POST `data` as a tab that just loaded the form at `url` would (its version token)."""
    return client.post(url, {**data, "loaded_as": loaded_token(client, url)}, follow=follow)


def form_fields(page: str) -> dict:
    """What a browser would send from the page's form that carries a version token.

    Text boxes, hidden fields, ticked boxes and chosen options, as they stand on the page
    (buttons are left to the caller): a second tab's copy of a form, for concurrency tests.
    """
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.forms, self.current, self.textarea, self.select = [], None, None, None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form":
                self.current = []
                self.forms.append(self.current)
            elif self.current is None or "disabled" in attrs:
                return
            elif tag == "input" and attrs.get("name"):
                kind = attrs.get("type", "text")
                if kind in ("submit", "button", "reset", "image", "file"):
                    return
                if kind in ("checkbox", "radio") and "checked" not in attrs:
                    return
                value = attrs.get("value")
                if value is None:
                    value = "on" if kind in ("checkbox", "radio") else ""
                self.current.append((attrs["name"], value))
            elif tag == "textarea" and attrs.get("name"):
                self.textarea = [attrs["name"], ""]
            elif tag == "select" and attrs.get("name"):
                self.select = attrs["name"]
            elif tag == "option" and self.select and "selected" in attrs:
                self.current.append((self.select, attrs.get("value", "")))

        def handle_endtag(self, tag):
            if tag == "textarea" and self.textarea:
                # A browser drops the one line break that follows <textarea>.
                name, text = self.textarea
                self.current.append((name, text[1:] if text.startswith("\n") else text))
                self.textarea = None
            elif tag == "select":
                self.select = None
            elif tag == "form":
                self.current = None

        def handle_data(self, data):
            if self.textarea is not None:
                self.textarea[1] += data

    reader = Reader()
    reader.feed(page)
    for fields in reader.forms:
        if any(name == "loaded_as" for name, _value in fields):
            data: dict = {}
            for name, value in fields:
                data.setdefault(name, []).append(value)
            return {k: v[0] if len(v) == 1 else v for k, v in data.items()}
    raise AssertionError("No form on the page carries a loaded_as token")


# Colour contrast as WCAG 2.2 defines it (1.4.3, 1.4.11), for the browser tests that measure
# what axe-core does not: the borders of form controls and the focus indicator.
_CSS_NUMBERS = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?%?", re.IGNORECASE)


def parse_css_color(value: str) -> tuple[float, float, float, float]:
    """(r, g, b, alpha) of a computed colour: `#rrggbb`, `rgb(…)`, `rgba(…)` or `transparent`."""
    value = value.strip().lower()
    if value == "transparent":
        return (0.0, 0.0, 0.0, 0.0)
    if value.startswith("#") and len(value) in (4, 7):
        digits = value[1:] if len(value) == 7 else "".join(c * 2 for c in value[1:])
        return (*(float(int(digits[i : i + 2], 16)) for i in (0, 2, 4)), 1.0)
    if not value.startswith(("rgb(", "rgba(")):
        raise ValueError(f"Not a colour this helper reads: {value!r}")
    numbers = _CSS_NUMBERS.findall(value)
    if len(numbers) not in (3, 4):
        raise ValueError(f"Not a colour this helper reads: {value!r}")
    alpha = numbers[3] if len(numbers) == 4 else "1"
    alpha_value = float(alpha[:-1]) / 100 if alpha.endswith("%") else float(alpha)
    return (*(float(n) for n in numbers[:3]), alpha_value)


def blend(over: str, under: tuple[float, float, float]) -> tuple[float, float, float]:
    """The opaque colour seen where the colour `over` (maybe translucent) covers `under`."""
    r, g, b, alpha = parse_css_color(over)
    return tuple(
        alpha * top + (1 - alpha) * bottom for top, bottom in zip((r, g, b), under, strict=True)
    )


def background_behind(layers: list[str]) -> tuple[float, float, float]:
    """The colour seen through the background colours of nested boxes, innermost first.

    Ends on the white canvas; an opaque layer hides everything under it.
    """
    seen = (255.0, 255.0, 255.0)
    for layer in reversed(layers):
        seen = blend(layer, seen)
    return seen


def relative_luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2.2's relative luminance of an sRGB colour given as 0-255 channels."""

    def linear(channel: float) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: tuple[float, float, float], second: tuple[float, float, float]) -> float:
    """WCAG's contrast ratio, from 1 (same luminance) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# In the page: the colours a box sits on, innermost first, up to the first opaque one.
_LAYERS_JS = """
function layersBehind(element) {
    const layers = [];
    for (let node = element; node; node = node.parentElement) {
        const colour = getComputedStyle(node).backgroundColor;
        layers.push(colour);
        const alpha = colour.match(/rgba\\(.*,\\s*([\\d.]+)\\)/);
        if (colour !== "transparent" && (!alpha || parseFloat(alpha[1]) === 1)) {
            break;
        }
    }
    return layers;
}
function describe(element) {
    const name = element.id
        ? "#" + element.id
        : (element.name ? "[name=" + element.name + "]" : "");
    const text = (element.innerText || element.value || "").trim().slice(0, 30);
    return element.tagName.toLowerCase() + name + (element.type ? "(" + element.type + ")" : "")
        + (text && !element.id ? " " + JSON.stringify(text) : "");
}
"""

CONTROLS_JS = (
    "() => {"
    + _LAYERS_JS
    + """
    const selector = "input:not([type=hidden]):not([type=submit]):not([type=button])"
        + ":not([type=reset]):not([type=image]), select, textarea, [class*='btn-outline-']";
    return Array.from(document.querySelectorAll(selector))
        .filter((element) => !element.disabled && element.getClientRects().length > 0
            && getComputedStyle(element).visibility !== "hidden"
            && !element.closest(".visually-hidden, .visually-hidden-focusable"))
        .map((element) => {
            const style = getComputedStyle(element);
            return {
                element: describe(element),
                width: parseFloat(style.borderTopWidth),
                style: style.borderTopStyle,
                colour: style.borderTopColor,
                behind: layersBehind(element.parentElement),
            };
        });
}"""
)

FOCUSED_JS = (
    "() => {"
    + _LAYERS_JS
    + """
    const element = document.activeElement;
    if (!element || element === document.body) {
        return null;
    }
    if (!element.matches(":focus")) {
        // The focus is in the browser's own part of the box (a date box's calendar button).
        return {element: describe(element), browserPart: true};
    }
    const style = getComputedStyle(element);
    return {
        element: describe(element),
        browserPart: false,
        outlineStyle: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth),
        outlineColour: style.outlineColor,
        outlineOffset: parseFloat(style.outlineOffset),
        boxShadow: style.boxShadow,
        behind: layersBehind(element.parentElement),
        own: layersBehind(element),
    };
}"""
)

_SHADOW = re.compile(
    r"(rgba?\([^)]*\))\s+(-?[\d.]+)px\s+(-?[\d.]+)px\s+(-?[\d.]+)px\s+(-?[\d.]+)px"
)


def control_borders(page) -> list[dict]:
    """Each visible, enabled form control's border: width, and contrast with what it sits on."""
    found = []
    for control in page.evaluate(CONTROLS_JS):
        behind = background_behind(control["behind"])
        seen = blend(control["colour"], behind)
        width = control["width"] if control["style"] not in ("none", "hidden") else 0.0
        found.append({**control, "width": width, "ratio": contrast_ratio(seen, behind)})
    return found


def focus_indicator(page) -> dict | None:
    """The focused element's indicator: its thickness in px and its contrast with its background.

    None when nothing is focused; `browserPart` when the focus is inside a part of the box
    the browser draws itself (no page style reaches it, so nothing to measure).

    An outline counts (drawn outside the element when its offset is not negative, else on
    the element's own background); otherwise a box-shadow ring without offset or blur
    (Bootstrap's default, often translucent: it is blended before measuring).
    """
    focused = page.evaluate(FOCUSED_JS)
    if focused is None or focused["browserPart"]:
        return focused
    behind = background_behind(
        focused["behind"] if focused["outlineOffset"] >= 0 else focused["own"]
    )
    width, ratio = 0.0, 1.0
    if focused["outlineStyle"] not in ("none", "hidden") and focused["outlineWidth"] > 0:
        width = focused["outlineWidth"]
        ratio = contrast_ratio(blend(focused["outlineColour"], behind), behind)
    else:
        for colour, x, y, blur, spread in _SHADOW.findall(focused["boxShadow"]):
            if float(x) == 0 and float(y) == 0 and float(blur) == 0 and float(spread) > width:
                width = float(spread)
                behind = background_behind(focused["behind"])
                ratio = contrast_ratio(blend(colour, behind), behind)
    return {"element": focused["element"], "browserPart": False, "width": width, "ratio": ratio}


# --- Narrow screens: does the page scroll sideways? (mentorship/tests/test_narrow_pages_browser.py)

# The page's width against the window's, and the elements that stick out furthest past the
# window's right edge, unless a scrolling box holds them in (a `.table-responsive` region):
# those scroll inside the page, which is allowed. A box clips an absolutely placed element
# only when it is (or is inside) that element's containing block: a `.visually-hidden`
# span in a cell of a scrolling table without a position escapes it and widens the page.
OVERFLOW_PROBE = """() => {
    const limit = window.innerWidth + 0.5;
    const held = (element) => {
        let placed = getComputedStyle(element).position;
        if (placed === "fixed") return false;
        let box = element.parentElement;
        for (; box && box !== document.body; box = box.parentElement) {
            const style = getComputedStyle(box);
            if (placed === "absolute" && style.position === "static") continue;
            const right = box.getBoundingClientRect().right;
            if (style.overflowX !== "visible" && right <= limit) return true;
            if (style.position !== "static") placed = style.position;
        }
        return false;
    };
    const name = (element) => {
        let text = element.tagName.toLowerCase();
        if (element.id) text += "#" + element.id;
        for (const cls of element.classList) text += "." + cls;
        return text;
    };
    const path = (element) => {
        const parts = [];
        let at = element;
        for (; at && at !== document.body && parts.length < 4; at = at.parentElement) {
            parts.unshift(name(at));
        }
        return parts.join(" > ");
    };
    const found = [];
    for (const element of document.body.querySelectorAll("*")) {
        const box = element.getBoundingClientRect();
        if (box.width === 0 || box.right <= limit || held(element)) continue;
        found.push({selector: path(element), width: Math.round(box.width),
                    right: Math.round(box.right)});
    }
    found.sort((a, b) => b.right - a.right || b.width - a.width);
    return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
            widest: found.slice(0, 3)};
}"""


def sideways_overflow(page) -> str:
    """'' when the page fits its window's width; else the widths and what sticks out most."""
    probe = page.evaluate(OVERFLOW_PROBE)
    if probe["scrollWidth"] <= probe["innerWidth"]:
        return ""
    culprits = "; ".join(
        f"{item['selector']} ({item['width']} px wide, to {item['right']} px)"
        for item in probe["widest"]
    )
    return (
        f"{page.url} is {probe['scrollWidth']} px wide in a {probe['innerWidth']} px window: "
        f"{culprits or 'no single element found'}"
    )


def assert_fits_width(page) -> None:
    """Fail when the page scrolls sideways, naming the elements that stick out furthest."""
    found = sideways_overflow(page)
    if found:
        raise AssertionError(found)
