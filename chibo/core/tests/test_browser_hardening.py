"""Browser hardening (issue 14): a Content-Security-Policy without inline script or eval on every response,
a Permissions-Policy, attachments served as sandboxed downloads, and `check --deploy` clean."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chibo.meetings import services as meeting_services
from chibo.meetings.tests.conftest import plan_meeting
from chibo.meetings.views import download_name

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = sorted((ROOT / "chibo").rglob("templates/**/*.html"))


def _directives(header: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in header.split(";") if d.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/api/v1/openapi.json"])
def test_every_response_carries_a_policy_without_inline_script_or_eval(client, world, url):
    client.force_login(world.ward_officer)
    response = client.get(url, follow=True)
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert not any("unsafe" in source for sources in policy.values() for source in sources)
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_no_template_has_inline_script_handlers_or_style():
    """What the policy would block: <script> with a body, on…= handlers, style= attributes and <style>."""
    found = []
    for path in TEMPLATES:
        text = path.read_text()
        for pattern in (
            r"<script(?![^>]*\bsrc=)[^>]*>",
            r"\son[a-z]+\s*=\s*[\"']",
            r"\sstyle\s*=\s*[\"']",
            r"<style\b",
        ):
            if re.search(pattern, text):
                found.append(f"{path.relative_to(ROOT)}: {pattern}")
    assert TEMPLATES and found == []


def test_htmx_is_configured_not_to_need_eval_or_script_tags():
    base = (ROOT / "chibo" / "templates" / "base.html").read_text()
    config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'>', base)
    assert config is not None
    assert '"allowEval": false' in config.group(1) and '"allowScriptTags": false' in config.group(1)
    assert '"includeIndicatorStyles": false' in config.group(1)
    assert base.index('name="htmx-config"') < base.index("htmx.min.js")


@pytest.mark.django_db
def test_an_attachment_is_a_sandboxed_download_with_one_extension(client, world):
    meeting = plan_meeting(world.anhoa)
    polyglot = b"%PDF-1.4\n<html><script>alert(document.domain)</script></html>\n" + b"0" * 200
    attachment = meeting_services.attachment_add(
        actor=None,
        meeting=meeting,
        upload=SimpleUploadedFile("bao-cao.html.pdf", polyglot),
        title="Báo cáo.html",
    )
    client.force_login(world.anhoa_secretary)
    response = client.get(reverse("meetings:attachment", args=[meeting.pk, attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        'filename="Báo cáo html.pdf"' in response["Content-Disposition"]
        or "B%C3%A1o%20c%C3%A1o%20html.pdf" in (response["Content-Disposition"])
    )
    assert _directives(response["Content-Security-Policy"]) == {"sandbox": [], "default-src": ["'none'"]}
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("title", "extension", "name"),
    [
        ("Dự thảo nghị quyết", ".pdf", "Dự thảo nghị quyết.pdf"),
        ("x.exe", ".pdf", "x exe.pdf"),
        ("../../etc/passwd", ".docx", "etc passwd.docx"),
        ("...", ".png", "tai-lieu.png"),
    ],
)
def test_a_download_name_keeps_only_the_detected_extension(title, extension, name):
    assert download_name(title, extension) == name


def test_the_deployment_check_with_production_settings_has_nothing_to_say():
    env = os.environ | {
        "DEBUG": "0",
        "SECRET_KEY": "k" * 20 + "Aa1!" * 10 + "unit-test-only-secret-value",
        "ALLOWED_HOSTS": "chibo.example.vn",
        "DJANGO_SETTINGS_MODULE": "chibo.settings",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout
