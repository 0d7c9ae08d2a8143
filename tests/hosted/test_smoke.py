"""A person signs up, checks and walks; another sees none of it."""

from __future__ import annotations

from tests.hosted.conftest import save_check, sign_up


def test_a_person_signs_up_checks_and_walks(make_client) -> None:
    alice = make_client()
    sign_up(alice, "alice")
    check = save_check(alice)
    walk = alice.post("/api/walks", json={"pain_before": 4})
    assert walk.status_code == 201, walk.text
    wid = walk.json()["id"]
    checkin = alice.post(
        f"/api/walks/{wid}/checkins",
        json={"elapsed_seconds": 60, "current_pain": 4, "sharp_or_shooting": False},
    )
    assert checkin.status_code in (200, 201), checkin.text
    bob = make_client()
    sign_up(bob, "bob")
    assert bob.get("/api/checks").json() == []
    assert bob.get(f"/api/walks/{wid}").status_code == 404
    assert bob.get(f"/api/checks/{check['check']['id']}").status_code == 404
    assert len(alice.get("/api/checks").json()) == 1


def test_hosted_pages_say_where_the_diary_is_kept(make_client) -> None:
    """Hosted mode keeps the diary on the service, not "on this computer"."""
    client = make_client()
    env = client.app.state.web.pages.env
    assert env.globals["diary_place"] == "in your private diary on this service"
    rendered = env.from_string("{{ diary_place }}").render()
    assert "on this computer" not in rendered
