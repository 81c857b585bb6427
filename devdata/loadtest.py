"""A bounded load test and the smoke test's journey, over HTTPS on the loopback only.

Standard library only, and no Django import: it drives a real gunicorn like a browser
would (cookies, CSRF tokens, the forms' own fields) and prepares and checks its data with
`manage.py loadtest_seed` and `manage.py loadtest_check`, run with its own environment.

    python -m devdata.loadtest                 # what `make loadtest` runs: starts gunicorn
    python -m devdata.loadtest --url https://127.0.0.1:8443 --cafile cert.pem \\
        --access-log gunicorn-access.log --journey --maildir sink/   # what .ci/smoke runs

Without --url it makes a throwaway directory (self-signed certificate, SQLite database unless
--database-url names an empty one, static files), migrates, and starts gunicorn with the
production settings (DEBUG=0, the repository's gunicorn.conf.py) on a free 127.0.0.1 port,
and stops it. With --url, `manage.py` runs with the environment as it is (DATABASE_URL...).

Each member logs in from an address of its own (127.0.0.2, 127.0.0.3, ...: the log-in rate
limits stay on and count per address), then loops: home, survey draft, schedule a meeting,
then prepare it (mentees) or record it (mentors). Every submission carries a unique marker;
the markers the server acknowledged (a redirect after the POST) go to `loadtest_check`,
which fails unless each is stored exactly once. The report gives req/s and p50/p95/p99 per
endpoint as the client saw them, and as gunicorn measured them (its access log's request
time), which leaves out the queueing in a client sharing the machine's cores.
"""

import argparse
import base64
import datetime
import hashlib
import hmac
import http.client
import json
import mailbox
import os
import random
import re
import secrets
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LOGIN_LABELS = ("log-in page", "log-in")


class LoadError(Exception):
    """An answer the script did not expect: counted as an error."""


# --- HTML forms ------------------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: list = field(default_factory=list)  # [name, value] in page order
    choices: dict = field(default_factory=dict)  # radio/select name -> values offered
    text_areas: list = field(default_factory=list)
    buttons: list = field(default_factory=list)  # (name, value)

    def has(self, name: str) -> bool:
        return (
            any(n == name for n, _ in self.fields)
            or name in self.choices
            or any(n == name for n, _ in self.buttons)
        )

    def data(self, values: dict, button: tuple[str, str] | None = None) -> list:
        """The fields as a browser would send them, with `values` set (a radio or select
        named in `values` takes that value; one not named keeps its checked one, if any)."""
        sent, seen = [], set()
        for name, value in self.fields:
            if name in values:
                if name not in seen:
                    sent.append((name, values[name]))
                    seen.add(name)
            elif value is not None:
                sent.append((name, value))
        sent += [(n, v) for n, v in values.items() if n not in seen and n in self.choices]
        if button:
            sent.append(button)
        return sent


class FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.textarea: list | None = None
        self.select: str | None = None
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form":
            self.form = Form(
                action=a.get("action") or "", method=(a.get("method") or "get").lower()
            )
            self.forms.append(self.form)
        if self.form is None or ("name" not in a and tag != "option"):
            return
        name = a.get("name")
        kind = (a.get("type") or "text").lower()
        if tag == "input" and kind in ("submit", "image"):
            self.form.buttons.append((name, a.get("value", "")))
        elif tag == "input" and kind in ("radio", "checkbox"):
            self.form.choices.setdefault(name, []).append(a.get("value", "on"))
            self.form.fields.append([name, a.get("value", "on") if "checked" in a else None])
        elif tag == "input" and kind not in ("file", "reset", "button"):
            self.form.fields.append([name, a.get("value", "")])
        elif tag == "button" and kind == "submit":
            self.form.buttons.append((name, a.get("value", "")))
        elif tag == "textarea":
            self.textarea = [name, ""]
            self.form.fields.append(self.textarea)
            self.form.text_areas.append(name)
        elif tag == "select":
            self.select = name
            self.form.fields.append([name, None])
        elif tag == "option" and self.select:
            value = a.get("value", "")
            self.form.choices.setdefault(self.select, []).append(value)
            row = next(r for r in self.form.fields if r[0] == self.select)
            if "selected" in a or row[1] is None:
                row[1] = value

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data


def parse(html: str) -> FormParser:
    parser = FormParser()
    parser.feed(html)
    return parser


def form_with(html: str, field_name: str) -> Form:
    for form in parse(html).forms:
        if form.method == "post" and form.has(field_name):
            return form
    raise LoadError(f"no form with a {field_name!r} field on the page")


# --- HTTP ------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    location: str
    body: str
    path: str


class Stats:
    """Every request's time and outcome, by endpoint (thread-safe)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.acknowledged: list[dict] = []
        self.unacknowledged = 0

    def add(self, label: str, seconds: float):
        with self.lock:
            self.times[label].append(seconds * 1000)

    def error(self, message: str):
        with self.lock:
            self.errors.append(message)

    def ack(self, kind: str, marker: str, member: str):
        with self.lock:
            self.acknowledged.append({"kind": kind, "marker": marker, "member": member})


class Client:
    """One browser: its cookies, its own loopback address, the server's certificate."""

    def __init__(self, base: str, context: ssl.SSLContext | None, source: str, stats: Stats):
        url = urllib.parse.urlsplit(base)
        self.scheme, self.host, self.port = url.scheme, url.hostname, url.port
        self.origin = f"{url.scheme}://{url.netloc}"
        self.context, self.source, self.stats = context, source, stats
        self.cookies: dict[str, str] = {}
        self.connection = None

    def _connect(self):
        if self.scheme == "https":
            return http.client.HTTPSConnection(
                self.host,
                self.port,
                timeout=60,
                context=self.context,
                source_address=(self.source, 0),
            )
        return http.client.HTTPConnection(
            self.host, self.port, timeout=60, source_address=(self.source, 0)
        )

    def request(self, method: str, path: str, label: str, data=None, expect=(200,)) -> Answer:
        headers = {"User-Agent": "mentorship-loadtest", "Accept-Language": "en"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            body = urllib.parse.urlencode(data or [])
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + path
        start = time.perf_counter()
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = self._connect()
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed a kept-alive connection before this request: a fresh
                # one is what a browser would open. Anything else is an error.
                self.connection.close()
                self.connection = None
                if attempt == 2 or method == "POST":
                    raise
        elapsed = time.perf_counter() - start
        if response.getheader("Connection", "").lower() == "close" or response.will_close:
            self.connection.close()
            self.connection = None
        self.stats.add(label, elapsed)
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in header.lower() or not value or value == '""':
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        location = response.getheader("Location", "")
        if location:
            location = urllib.parse.urlsplit(urllib.parse.urljoin(self.origin + path, location))
            location = location.path + (f"?{location.query}" if location.query else "")
        answer = Answer(response.status, location, text, path)
        if response.status not in expect:
            raise LoadError(f"{method} {path} ({label}): {response.status}, expected {expect}")
        return answer

    def get(self, path: str, label: str) -> Answer:
        return self.request("GET", path, label)

    def post(self, path: str, label: str, data) -> Answer:
        """A form sent: the application answers with a redirect when it took it."""
        answer = self.request("POST", path, label, data, expect=(200, 302, 303))
        if answer.status == 200:
            found = re.findall(
                r'(?:invalid-feedback|role="alert")[^>]*>(.*?)</(?:div|p|li)>', answer.body, re.S
            )
            said = [" ".join(re.sub(r"<[^>]+>", " ", m).split()) for m in found]
            raise LoadError(f"POST {path} ({label}) was not taken: {[m for m in said if m][:3]}")
        return answer

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def log_in(client: Client, email: str, password: str, totp_secret: str | None = None) -> str:
    page = client.get("/accounts/login/", "log-in page")
    form = form_with(page.body, "password")
    answer = client.post(
        "/accounts/login/", "log-in", form.data({"login": email, "password": password})
    )
    if totp_secret:
        if not answer.location.startswith("/accounts/2fa/authenticate"):
            raise LoadError(f"a coordinator's log-in went to {answer.location}, not the code")
        page = client.get(answer.location, "two-step page")
        form = form_with(page.body, "code")
        answer = client.post(
            answer.location, "two-step code", form.data({"code": totp_now(totp_secret)})
        )
    return answer.location


def totp_now(secret: str, period: int = 30, digits: int = 6) -> str:
    """RFC 6238, as allauth checks it (SHA-1, 30 s, 6 digits)."""
    counter = struct.pack(">Q", int(time.time()) // period)
    digest = hmac.new(base64.b32decode(secret, casefold=True), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}}"


# --- The load --------------------------------------------------------------------------------


class Member:
    def __init__(self, row: dict, accounts: dict, client: Client, run: str, stats: Stats):
        self.row, self.accounts, self.client, self.run, self.stats = (
            row,
            accounts,
            client,
            run,
            stats,
        )
        self.slug = accounts["program"]
        self.pair = f"/programs/{self.slug}/pairs/{row['match']}"
        self.iteration = 0
        self.logged_in = False

    def marker(self) -> str:
        return f"LT{self.run}x{self.row['index'] * 100000 + self.iteration}"

    def log_in(self):
        landing = log_in(self.client, self.row["email"], self.accounts["password"])
        if landing.startswith("/accounts/login"):
            raise LoadError(f"{self.row['email']} could not log in")
        self.logged_in = True

    def submit(self, kind: str, path: str, label: str, data) -> Answer:
        marker = data_marker(data)
        answer = self.client.post(path, label, data)
        self.stats.ack(kind, marker, self.row["email"])
        return answer

    def loop(self, pause):
        """One round of a member's visit; `pause()` between pages, as a person reads."""
        self.iteration += 1
        c = self.client
        c.get("/me/", "home")
        pause()
        survey_path = f"/programs/{self.slug}/my-survey/"
        form = form_with(c.get(survey_path, "survey page").body, "save")
        pause()
        values = dict.fromkeys(form.text_areas, f"Load answer {self.iteration}")
        values[form.text_areas[0]] = self.marker()
        self.submit("survey", survey_path, "survey save", form.data(values, ("save", "1")))
        c.get(survey_path, "survey page")
        pause()

        self.iteration += 1
        new_meeting = f"{self.pair}/meetings/new/"
        form = form_with(c.get(new_meeting, "meeting form").body, "location")
        pause()
        # Each member's meetings in a slot of their own, in the past (a record needs it).
        slot = self.row["index"] * 100000 + self.iteration
        day = datetime.date.today() - datetime.timedelta(days=1 + slot // 48 % 3000)
        values = {
            "date": day.isoformat(),
            "start_time": f"{slot % 48 // 2:02d}:{slot % 2 * 30:02d}",
            "duration_minutes": "60",
            "mode": "in_person",
            "location": self.marker(),
        }
        answer = self.submit("meeting", new_meeting, "meeting schedule", form.data(values))
        meeting = answer.location
        if not re.fullmatch(r"/programs/[^/]+/pairs/\d+/meetings/\d+/", meeting):
            raise LoadError(f"scheduling a meeting led to {meeting!r}")
        c.get(meeting, "meeting page")
        pause()

        self.iteration += 1
        if self.row["role"] == "mentee":
            kind, page, field_name, button = "preparation", "preparation/", "tried", None
        else:
            kind, page, field_name, button = "record", "record/", "update", ("status", "recorded")
        form = form_with(c.get(meeting + page, f"{kind} form").body, field_name)
        pause()
        values = dict.fromkeys(form.text_areas, f"Load answer {self.iteration}")
        values[field_name] = self.marker()
        self.submit(kind, meeting + page, f"{kind} save", form.data(values, button))
        c.get(meeting, "meeting page")
        pause()


def data_marker(data) -> str:
    for _name, value in data:
        found = re.search(r"LT[0-9a-f]+x[0-9]+", str(value))
        if found:
            return found.group(0)
    raise LoadError("a submission without its marker")


def run_phase(
    members: list[Member],
    seconds: float,
    pauses: tuple[float, float],
    stats: Stats,
    *,
    log_in_only: bool = False,
) -> float:
    """Every member loops until the time is up; an error ends that member's run.

    With `log_in_only`, each logs in instead, at a random moment within `seconds` (people
    arrive over time). Returns the seconds the phase took.
    """
    deadline = time.monotonic() + seconds
    rng = random.Random()

    def pause():
        if pauses[1] > 0:
            time.sleep(rng.uniform(*pauses))

    def work(member: Member):
        try:
            if log_in_only:
                time.sleep(rng.uniform(0, seconds))
                member.log_in()
                return
            while member.logged_in and time.monotonic() < deadline:
                member.loop(pause)
        except LoadError as error:
            stats.error(str(error))
            member.logged_in = False  # out of the run after an error
        except (OSError, http.client.HTTPException) as error:
            stats.error(f"{member.row['email']}: {type(error).__name__}: {error}")
            member.logged_in = False

    threads = [threading.Thread(target=work, args=(m,), daemon=True) for m in members]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0, deadline - time.monotonic()) + 300)
    if any(t.is_alive() for t in threads):
        stats.error("a member was still waiting five minutes after the phase ended")
    return time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def table(title: str, times: dict[str, list[float]], elapsed: float) -> list[str]:
    head = ("endpoint", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms")
    lines = [title, "  {:<20} {:>8} {:>7} {:>8} {:>8} {:>8}".format(*head)]
    rows = [*sorted(times.items())]
    if any(label not in LOGIN_LABELS for label in times):
        rows.append(("all but log-in", _all_but_login(times)))
    for label, values in rows:
        p50, p95, p99 = (percentile(values, p) for p in (50, 95, 99))
        lines.append(
            f"  {label:<20} {len(values):>8} {len(values) / elapsed:>7.1f} "
            f"{p50:>8.0f} {p95:>8.0f} {p99:>8.0f}"
        )
    return lines


def _all_but_login(times: dict[str, list[float]]) -> list[float]:
    return [v for label, values in times.items() if label not in LOGIN_LABELS for v in values]


# --- gunicorn's own measure ------------------------------------------------------------------

# The access log format in gunicorn.conf.py ends with the request time in milliseconds.
ACCESS_LINE = re.compile(
    r'"(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) .* (?P<ms>\d+)$'
)
SERVER_LABELS = [
    ("POST", r"/accounts/login/", "log-in"),
    ("GET", r"/accounts/login/", "log-in page"),
    ("GET", r"/me/", "home"),
    ("GET", r"/programs/[^/]+/my-survey/", "survey page"),
    ("POST", r"/programs/[^/]+/my-survey/", "survey save"),
    ("GET", r"/programs/[^/]+/pairs/\d+/meetings/new/", "meeting form"),
    ("POST", r"/programs/[^/]+/pairs/\d+/meetings/new/", "meeting schedule"),
    ("GET", r"/programs/[^/]+/pairs/\d+/meetings/\d+/", "meeting page"),
    ("GET", r"/programs/[^/]+/pairs/\d+/meetings/\d+/preparation/", "preparation form"),
    ("POST", r"/programs/[^/]+/pairs/\d+/meetings/\d+/preparation/", "preparation save"),
    ("GET", r"/programs/[^/]+/pairs/\d+/meetings/\d+/record/", "record form"),
    ("POST", r"/programs/[^/]+/pairs/\d+/meetings/\d+/record/", "record save"),
]


def server_times(
    access_log: Path | None, start: int, end: int | None = None
) -> dict[str, list[float]]:
    """Request times gunicorn logged between two offsets of its access log, by endpoint."""
    times: dict[str, list[float]] = defaultdict(list)
    if access_log is None or not access_log.exists():
        return times
    with access_log.open("rb") as handle:
        handle.seek(start)
        chunk = handle.read(None if end is None else end - start).decode("utf-8", "replace")
    for line in chunk.splitlines():
        found = ACCESS_LINE.search(line)
        if not found:
            continue
        path = found["path"].split("?", 1)[0]
        label = next(
            (
                name
                for method, pattern, name in SERVER_LABELS
                if method == found["method"] and re.fullmatch(pattern, path)
            ),
            "other",
        )
        times[label].append(float(found["ms"]))
    return times


def log_size(access_log: Path | None) -> int:
    return access_log.stat().st_size if access_log and access_log.exists() else 0


# --- The smoke test's journey ----------------------------------------------------------------


def wait_for_mail(mbox: Path, to: str, subject_has: str, timeout: float) -> str:
    """The body of the first e-mail to `to` whose subject has `subject_has`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if mbox.exists():
            for message in mailbox.Maildir(mbox, create=False):
                if (
                    to in (message["To"] or "")
                    and subject_has.lower() in (message["Subject"] or "").lower()
                ):
                    parts = message.walk() if message.is_multipart() else [message]
                    return "\n".join(
                        p.get_payload(decode=True).decode(
                            p.get_content_charset() or "utf-8", "replace"
                        )
                        for p in parts
                        if p.get_content_type() == "text/plain"
                    )
        time.sleep(0.5)
    raise LoadError(f"no e-mail to {to} with {subject_has!r} in its subject within {timeout:.0f} s")


def journey(base: str, context, accounts: dict, mbox: Path, stats: Stats, mail_timeout: float):
    """Sign up, confirm by the e-mail, apply, a coordinator accepts, the survey is saved and
    submitted: each step checked in what the server answers."""
    slug = accounts["open_program"]
    email = f"smoke-{secrets.token_hex(4)}@example.org"
    password = secrets.token_urlsafe(16)
    member = Client(base, context, "127.0.0.1", stats)

    page = member.get("/accounts/signup/", "sign-up page")
    form = form_with(page.body, "password1")
    values = {
        "name": "Smoke Test Member",
        "email": email,
        "password1": password,
        "password2": password,
    }
    for name, offered in form.choices.items():  # consent boxes and the like: tick them
        values.setdefault(name, offered[0])
    answer = member.post("/accounts/signup/", "sign-up", form.data(values))
    print(f"    signed up as {email} -> {answer.location}")

    body = wait_for_mail(mbox, email, "confirm", mail_timeout)
    link = re.search(r"https?://\S+?(/accounts/confirm-email/[^\s/]+/)", body)
    if not link:
        raise LoadError("the confirmation e-mail has no confirmation link")
    page = member.get(link.group(1), "confirm page")
    form = next(
        f
        for f in parse(page.body).forms
        if f.method == "post" and "confirm-email" in (f.action or link.group(1))
    )
    answer = member.post(link.group(1), "confirm", form.data({}))
    print(f"    confirmed by the e-mail's link -> {answer.location}")
    if member.get("/me/", "home").path != "/me/":
        raise LoadError("not logged in after confirming")

    apply = f"/programs/{slug}/apply/mentee/"
    form = form_with(member.get(apply, "apply page").body, "submit")
    values = dict.fromkeys(form.text_areas, "I would like to learn how to file a grievance.")
    for name, offered in form.choices.items():
        usable = [v for v in offered if v]
        if usable:
            values[name] = usable[0]
    for name, value in form.fields:
        if value == "" and name not in values and not name.startswith(("csrf", "initial-")):
            values[name] = "Smoke"
    answer = member.post(apply, "apply", form.data(values, ("submit", "1")))
    found = re.fullmatch(rf"/programs/{slug}/my-applications/(\d+)/", answer.location)
    if not found:
        raise LoadError(f"submitting the application led to {answer.location!r}")
    application = found.group(1)
    wait_for_mail(mbox, email, "received your application", mail_timeout)
    print(f"    applied: application {application}, its confirmation e-mail received")

    coordinator = Client(base, context, "127.0.0.1", stats)
    landing = log_in(
        coordinator,
        accounts["coordinator"]["email"],
        accounts["password"],
        accounts["coordinator"]["totp_secret"],
    )
    print(f"    coordinator logged in with password and code -> {landing}")
    detail = f"/programs/{slug}/applications/{application}/"
    form = form_with(coordinator.get(detail, "application page").body, "decision")
    answer = coordinator.post(
        form.action or detail + "decide/",
        "decide",
        form.data({"decision": "accept", "note": "Welcome."}),
    )
    wait_for_mail(mbox, email, "welcome to", mail_timeout)
    print(f"    coordinator accepted it -> {answer.location}; the welcome e-mail received")

    survey = f"/programs/{slug}/my-survey/"
    form = form_with(member.get(survey, "survey page").body, "submit")
    marker = f"smoke draft {secrets.token_hex(4)}"
    values = dict.fromkeys(form.text_areas, "Smoke answer")
    values[form.text_areas[0]] = marker
    answer = member.post(survey, "survey save", form.data(values, ("save", "1")))
    if marker not in member.get(answer.location, "survey page").body:
        raise LoadError("the saved survey draft does not show its answer")
    print("    survey draft saved and shown again")
    form = form_with(member.get(survey, "survey page").body, "submit")
    # Every question answered (the draft's answer kept), and the two profile answers a
    # survey needs to be submitted.
    values = {
        name: value or "Smoke answer" for name, value in form.fields if name in form.text_areas
    }
    values.update(local_union="Local 1000", union_role="Steward")
    answer = member.post(survey, "survey submit", form.data(values, ("submit", "1")))
    page = member.get(answer.location, "survey page")
    if marker not in page.body:
        raise LoadError(f"the submitted survey at {answer.location} does not show its answers")
    print(f"    survey submitted -> {answer.location}")
    member.close()
    coordinator.close()


# --- Running it ------------------------------------------------------------------------------


def manage(*args: str, env: dict) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed")
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def self_signed(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def wait_healthy(base: str, context, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            stats = Stats()
            Client(base, context, "127.0.0.1", stats).get("/healthz", "healthz")
            return
        except (OSError, LoadError, http.client.HTTPException):
            time.sleep(0.3)
    raise SystemExit(f"{base}/healthz did not answer 200 within {timeout:.0f} s")


@contextmanager
def managed_server(args, env: dict):
    """A throwaway gunicorn with the production settings, stopped on the way out."""
    work = Path(tempfile.mkdtemp(prefix="loadtest-"))
    cert, key = self_signed(work)
    port = free_port()
    base = f"https://127.0.0.1:{port}"
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=base,
        VAR_DIR=str(work),
        STATIC_ROOT=str(work / "static"),
        MEDIA_ROOT=str(work / "media"),
    )
    # Its own database and (unless given) no Redis: never the ones the shell points at.
    env["DATABASE_URL"] = args.database_url or f"sqlite:///{work / 'db.sqlite3'}"
    env.pop("REDIS_URL", None)
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    print(f"==> Preparing a throwaway site in {work} ({env['DATABASE_URL'].split(':')[0]})")
    manage("migrate", "--noinput", env=env)
    manage("createcachetable", env=env)
    manage("collectstatic", "--noinput", env=env)
    access_log = work / "access.log"
    command = [
        str(Path(PYTHON).parent / "gunicorn"),
        "mentorship.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--certfile",
        str(cert),
        "--keyfile",
        str(key),
        "--access-logfile",
        str(access_log),
    ]
    if args.workers:
        command += ["--workers", str(args.workers)]
    if args.threads:
        command += ["--threads", str(args.threads)]
    print("==> " + " ".join(command[1:]))
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=(work / "gunicorn.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    context = ssl.create_default_context(cafile=str(cert))
    try:
        wait_healthy(base, context)
        yield base, context, access_log
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        errors = [
            line
            for line in (work / "gunicorn.log").read_text().splitlines()
            if "[ERROR]" in line or "Traceback" in line or "WORKER TIMEOUT" in line
        ]
        if errors:
            print("gunicorn logged errors:\n  " + "\n  ".join(errors[:20]))
            args.server_errors = len(errors)
        if args.keep:
            print(f"Kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server (else one is started)")
    parser.add_argument("--cafile", help="the server's certificate, for --url over https")
    parser.add_argument("--access-log", type=Path, help="gunicorn's access log, for --url")
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--arrival", type=float, default=10, help="seconds over which they log in")
    parser.add_argument("--duration", type=float, default=60, help="seconds with pauses")
    parser.add_argument("--pause", default="0.5,1.5", help="min,max seconds between pages")
    parser.add_argument("--saturate", type=float, default=0, help="then seconds without pauses")
    parser.add_argument("--targets", action="store_true", help="fail when above the targets")
    parser.add_argument("--p95", type=float, default=100, help="target: client p95 ms, paced")
    parser.add_argument(
        "--server-p95", type=float, default=50, help="target: gunicorn p95 ms, saturated"
    )
    parser.add_argument("--journey", action="store_true", help="first the smoke test's journey")
    parser.add_argument("--maildir", type=Path, help="the SMTP sink's mailbox, for --journey")
    parser.add_argument("--mail-timeout", type=float, default=60)
    parser.add_argument(
        "--database-url", help="an empty database for the started server (default: SQLite)"
    )
    parser.add_argument("--redis-url", help="Redis for the started server (default: none)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (started server only)")
    parser.add_argument("--threads", type=int, help="gunicorn threads (started server only)")
    parser.add_argument("--keep", action="store_true", help="keep the throwaway directory")
    args = parser.parse_args(argv)
    args.server_errors = 0
    if args.journey and not args.maildir:
        parser.error("--journey needs --maildir")
    env = dict(os.environ)
    if args.url:
        context = ssl.create_default_context(cafile=args.cafile) if args.cafile else None
        server = nullcontext((args.url.rstrip("/"), context, args.access_log))
    else:
        server = managed_server(args, env)
    with server as (base, context, access_log):
        failures = run(args, env, base, context, access_log)
    if args.server_errors:
        failures.append(f"gunicorn logged {args.server_errors} errors")
    for failure in failures:
        print(f"FAIL: {failure}")
    print("PASS" if not failures else f"FAILED ({len(failures)})")
    return 1 if failures else 0


@contextmanager
def nullcontext(value):
    yield value


def run(args, env: dict, base: str, context, access_log: Path | None) -> list[str]:
    failures = []
    work = Path(tempfile.mkdtemp(prefix="loadtest-run-"))
    try:
        accounts_file = work / "accounts.json"
        print(
            manage(
                "loadtest_seed",
                "--members",
                str(args.members),
                "--out",
                str(accounts_file),
                env=env,
            ).strip()
        )
        accounts = json.loads(accounts_file.read_text())
        if args.journey:
            print("==> The journey: sign up, confirm, apply, accepted, survey saved and submitted")
            try:
                journey(base, context, accounts, args.maildir, Stats(), args.mail_timeout)
            except (LoadError, OSError, http.client.HTTPException) as error:
                failures.append(f"journey: {error}")
                return failures
        stats = Stats()
        run_id = secrets.token_hex(4)
        if args.members > 250:
            raise SystemExit("at most 250 members (one loopback address each)")
        members = [
            Member(
                row,
                accounts,
                Client(base, context, f"127.0.0.{row['index'] + 2}", stats),
                run_id,
                stats,
            )
            for row in accounts["members"]
        ]
        low, high = (float(x) for x in args.pause.split(","))
        phases = [("log-in", args.arrival, (0, 0)), ("paced", args.duration, (low, high))]
        if args.saturate:
            phases.append(("saturated", args.saturate, (0.0, 0.0)))
        for name, seconds, pauses in phases:
            if name == "log-in":
                print(f"==> log-in: {len(members)} members arriving over {seconds:.0f} s")
            else:
                wait = f"pauses {pauses[0]:g}-{pauses[1]:g} s" if pauses[1] else "no pauses"
                print(f"==> {name}: {len(members)} members for {seconds:.0f} s, {wait}")
            if name != "log-in" and not any(m.logged_in for m in members):
                failures.append(f"{name}: no member is logged in")
                continue
            before = {k: len(v) for k, v in stats.times.items()}
            offset = log_size(access_log)
            errors_before = len(stats.errors)
            elapsed = run_phase(members, seconds, pauses, stats, log_in_only=name == "log-in")
            time.sleep(0.5)  # gunicorn writes its last log lines
            phase_times = {
                k: v[before.get(k, 0) :] for k, v in stats.times.items() if v[before.get(k, 0) :]
            }
            for line in table(f"  client side, {elapsed:.0f} s:", phase_times, elapsed):
                print(line)
            served = server_times(access_log, offset)
            if served:
                for line in table("  gunicorn's own request time:", served, elapsed):
                    print(line)
            new_errors = stats.errors[errors_before:]
            for error in new_errors[:10]:
                print(f"  error: {error}")
            if new_errors:
                failures.append(f"{name}: {len(new_errors)} errors")
            if args.targets:
                p95 = percentile(_all_but_login(phase_times), 95)
                if name == "paced" and p95 > args.p95:
                    failures.append(f"paced: client p95 {p95:.0f} ms > {args.p95:.0f} ms")
                server_p95 = percentile(_all_but_login(served), 95)
                if name == "saturated" and served and server_p95 > args.server_p95:
                    failures.append(
                        f"saturated: gunicorn p95 {server_p95:.0f} ms > {args.server_p95:.0f} ms"
                    )
        for member in members:
            member.client.close()
        acknowledged = work / "acknowledged.json"
        acknowledged.write_text(json.dumps({"run": run_id, "acknowledged": stats.acknowledged}))
        print(f"==> {len(stats.acknowledged)} acknowledged submissions: each stored exactly once?")
        check = subprocess.run(
            [PYTHON, "manage.py", "loadtest_check", str(acknowledged)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        sys.stdout.write(check.stdout + check.stderr)
        if check.returncode:
            failures.append("acknowledged submissions lost or duplicated")
        if not stats.acknowledged:
            failures.append("no submission was acknowledged")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return failures


if __name__ == "__main__":
    sys.exit(main())
