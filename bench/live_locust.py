"""Locust users of the live hour (bench/live_hour.py writes LIVE_FIXTURE and starts this): per meeting, one
secretary acting every 6 s and two members' phones polling the panel every 15 s, each with its own session.
Users are given meetings in turn, so with 3 × N users every meeting has its secretary and two phones."""

import itertools
import json
import os
import random
import secrets
import threading

import gevent
from locust import HttpUser, constant_pacing, task

FIXTURE = json.loads(open(os.environ["LIVE_FIXTURE"], encoding="utf-8").read())["meetings"]
_lock = threading.Lock()
_secretaries = itertools.cycle(range(len(FIXTURE)))
_phones = itertools.cycle([(i, p) for i in range(len(FIXTURE)) for p in range(2)])
# A new connection for every request, as nginx opens to gunicorn (no upstream keep-alive): a pacing of 6 s
# over gunicorn's 5 s keep-alive would otherwise send requests on connections the server just closed.
HX = {"HX-Request": "true", "Connection": "close"}


class Secretary(HttpUser):
    weight = 1
    wait_time = constant_pacing(6)

    def on_start(self) -> None:
        with _lock:
            self.m = FIXTURE[next(_secretaries)]
        self.csrf = secrets.token_hex(16)  # a 32-character secret: Django takes it unmasked
        self.client.cookies.set("sessionid", self.m["secretary"])
        self.client.cookies.set("csrftoken", self.csrf)
        self.headers = {**HX, "X-CSRFToken": self.csrf}
        # Start at a random point of the 6 s, as secretaries do not all tap at once.
        self._sleep = random.uniform(0, 6)

    @task
    def act(self) -> None:
        if self._sleep:
            gevent.sleep(self._sleep)
            self._sleep = 0
        pk, members = self.m["meeting"], self.m["members"]
        roll = random.random()
        if roll < 0.7:
            member = random.choice(members)
            status = random.choice(["present", "present", "late", "unexcused"])
            self.client.post(f"/meetings/{pk}/attendance/{member}/", {"status": status}, headers=self.headers,
                             name="/meetings/[pk]/attendance/[member]/")  # fmt: skip
        elif roll < 0.85:
            self.client.post(f"/meetings/{pk}/speakers/", {"member": random.choice(members), "kind": "opinion"},
                             headers=self.headers, name="/meetings/[pk]/speakers/")  # fmt: skip
        else:
            self.client.post(f"/meetings/{pk}/vote/", {"votes_for": random.randint(0, 5), "votes_against": 0,
                             "votes_abstain": 0}, headers=self.headers, name="/meetings/[pk]/vote/")  # fmt: skip


class Phone(HttpUser):
    weight = 2
    wait_time = constant_pacing(15)

    def on_start(self) -> None:
        with _lock:
            i, p = next(_phones)
        self.pk = FIXTURE[i]["meeting"]
        self.client.cookies.set("sessionid", FIXTURE[i]["phones"][p])
        self.etag = ""
        self._first = random.uniform(0, 15)

    @task
    def poll(self) -> None:
        if self._first:
            gevent.sleep(self._first)
            self._first = 0
        headers = {**HX, "If-None-Match": self.etag} if self.etag else HX
        with self.client.get(f"/meetings/{self.pk}/live/panel/", headers=headers, name="/meetings/[pk]/live/panel/",
                             catch_response=True) as r:  # fmt: skip
            if r.status_code in (200, 304):
                self.etag = r.headers.get("ETag", self.etag)
                r.success()
            else:
                r.failure(f"{r.status_code}")
