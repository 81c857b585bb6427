"""The Content Security Policy: what the header says, and templates that need nothing inline.

In a real browser: mentorship/tests/test_csp_browser.py.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.template import RequestContext, Template
from django.urls import reverse

from mentorship.tests.test_access_matrix import pair_meeting_on_paper
from mentorship.tests.test_settings import PRODUCTION, load

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def parse(header: str) -> dict[str, list[str]]:
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def urls(cast) -> dict[str, list[str]]:
    pair = pair_meeting_on_paper(cast)
    return {
        "anonymous": [reverse("home"), reverse("account_login"), reverse("printing:index")],
        "mentee": [
            reverse("accounts:home"),
            reverse("sessions:meeting", kwargs=pair),
            reverse("sessions:meeting_preparation_pdf", kwargs=pair),
        ],
        "coordinator": [
            reverse("dashboard:home"),
            reverse("evaluation:report", kwargs={"slug": cast.program.slug}),
            # An error page carries it too.
            reverse("programs:detail", kwargs={"slug": "no-such-program"}),
        ],
    }


def test_every_kind_of_page_carries_the_whole_policy_and_nothing_inline(cast, client_as):
    for role, role_urls in urls(cast).items():
        client = client_as(role)
        for url in role_urls:
            response = client.get(url)
            assert response.status_code in (200, 404), (url, response.status_code)
            assert parse(response["Content-Security-Policy"]) == POLICY, url
            assert "Content-Security-Policy-Report-Only" not in response


def test_the_policy_forbids_inline_code_and_framing():
    """Read from the settings as an attacker would hope to find them: no way in."""
    header = " ".join(str(v) for values in settings.SECURE_CSP.values() for v in values)
    for loophole in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "http:", "https:"):
        assert loophole not in header.split(), loophole
    assert "data:" not in [str(v) for v in settings.SECURE_CSP["script-src"]]
    assert settings.SECURE_CSP["frame-ancestors"] == ["'none'"]
    assert "django.middleware.csp.ContentSecurityPolicyMiddleware" in settings.MIDDLEWARE
    assert (
        "django.template.context_processors.csp"
        in (settings.TEMPLATES[0]["OPTIONS"]["context_processors"])
    )


def test_the_policy_is_the_same_in_development_and_production(tmp_path):
    names = ["SECURE_CSP", "SECURE_CSP_REPORT_ONLY", "MIDDLEWARE"]
    development = load(names, {"DEBUG": "1"}, tmp_path)
    production = load(names, PRODUCTION, tmp_path)
    assert development == production
    assert development["SECURE_CSP"]["script-src"] == ["'self'", "<CSP_NONCE_SENTINEL>"]


def test_a_template_that_must_have_an_inline_script_gets_a_nonce(rf):
    """The way out for inline code is a per-response nonce, never 'unsafe-inline'."""
    template = Template('<script nonce="{{ csp_nonce }}">go()</script>')
    middleware = ContentSecurityPolicyMiddleware(
        lambda request: HttpResponse(template.render(RequestContext(request)))
    )
    first, second = middleware(rf.get("/")), middleware(rf.get("/"))
    nonce = re.search(r'nonce="([^"]+)"', first.content.decode()).group(1)
    assert f"'nonce-{nonce}'" in parse(first["Content-Security-Policy"])["script-src"]
    assert nonce not in second.content.decode()  # a new one for every response


# --- The templates need nothing the policy blocks --------------------------------------------

TEMPLATES_DIR = Path(settings.BASE_DIR) / "templates"
# E-mails are read in mail programs and PDFs are laid out by WeasyPrint: no browser applies
# the policy to them, and mail programs need their styles inline.
NOT_SERVED_AS_PAGES = ("email", "pdf")
# A <script> or <style> with the response's nonce is what the policy allows for inline code.
INLINE = {
    "inline <script>": re.compile(
        r"<script(?![^>]*\b(src|nonce)=)(?![^>]*type=\"application/json\")", re.IGNORECASE
    ),
    "event handler attribute": re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE),
    "<style> element": re.compile(r"<style(?![^>]*\bnonce=)[\s>]", re.IGNORECASE),
}


def inline_code(text: str) -> list[str]:
    return [kind for kind, pattern in INLINE.items() if pattern.search(text)]


def served_templates() -> list[Path]:
    return [
        path
        for path in sorted(TEMPLATES_DIR.rglob("*.html"))
        if path.relative_to(TEMPLATES_DIR).parts[0] not in NOT_SERVED_AS_PAGES
    ]


def test_no_template_has_inline_script_handler_or_style():
    found = {
        str(path.relative_to(TEMPLATES_DIR)): kinds
        for path in served_templates()
        if (kinds := inline_code(path.read_text()))
    }
    assert found == {}
    assert len(served_templates()) > 50  # the scan did look at the site's templates


@pytest.mark.parametrize(
    ("planted", "kind"),
    [
        ("<script>alert(1)</script>", "inline <script>"),
        ('<button type="button" onclick="go()">', "event handler attribute"),
        ("<body\n  onload='go()'>", "event handler attribute"),
        ('<a href="javascript:go()">', "javascript: URL"),
        ('<div class="x" style="width: 5%">', "style attribute"),
        ("<style>p { color: red }</style>", "<style> element"),
        ('<style media="print">p { color: red }</style>', "<style> element"),
    ],
)
def test_the_template_scan_catches_what_it_looks_for(planted, kind):
    assert inline_code(planted) == [kind]


def test_the_template_scan_lets_the_site_s_own_markup_through():
    for allowed in (
        "<script src=\"{% static 'vendor/bootstrap/bootstrap.bundle.min.js' %}\"></script>",
        '<script type="application/json" id="data">{}</script>',
        '<script nonce="{{ csp_nonce }}">go()</script>',
        '<style nonce="{{ csp_nonce }}">p { color: red }</style>',
        '<div class="progress-bar progress-step-{% widthratio done total 20 %}"></div>',
        "<p>Questions on the union's role are welcome.</p>",
    ):
        assert inline_code(allowed) == [], allowed
