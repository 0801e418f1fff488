"""Firestore over real HTTP: documents, queries, batchGet, rules and typed-value quirks."""

from __future__ import annotations

import struct
from typing import Any

from .conftest import Cloud


def serial_of(cloud: Cloud, family: str, nth: int = 0) -> str:
    devices = [d for d in cloud.sim.state()["devices"] if d["device"] == family]
    serial: str = devices[nth]["serial"]
    return serial


async def test_users_document(cloud: Cloud) -> None:
    status, doc = await cloud.get(f"users/{cloud.uid}")
    assert status == 200
    assert doc["name"] == f"{cloud.root}/users/{cloud.uid}"
    fields = doc["fields"]
    assert fields["email"] == {"stringValue": "pitmaster@example.com"}
    assert fields["preferredUnits"] == {"stringValue": "F"}
    assert fields["timeZone"] == {"stringValue": "America/Chicago"}
    account_id = fields["accountId"]["stringValue"]
    order = fields["deviceOrder"]["mapValue"]["fields"][account_id]["arrayValue"]["values"]
    assert len(order) == 5
    assert order[0]["mapValue"]["fields"]["order"] == {"integerValue": "0"}
    assert fields["photoURL"] == {"nullValue": None}  # an unknown field a parser must skip
    assert doc["createTime"].endswith("Z")


async def test_other_users_document_is_forbidden(cloud: Cloud) -> None:
    status, body = await cloud.get("users/someone-else")
    assert status == 403
    assert body["error"]["status"] == "PERMISSION_DENIED"


async def test_run_query_lists_devices_by_name(cloud: Cloud) -> None:
    status, rows = await cloud.post(":runQuery", cloud.query(await cloud.account_id()))
    assert status == 200
    names = [row["document"]["name"] for row in rows]
    assert names == sorted(names)
    assert len(names) == 5
    assert all(row["readTime"].endswith("Z") for row in rows)
    families = {row["document"]["fields"]["device"]["stringValue"] for row in rows}
    assert families == {"signals", "smoke", "rfx gateway", "rfx meat", "node"}


async def test_run_query_descending_and_limit(cloud: Cloud) -> None:
    query = cloud.query(await cloud.account_id())
    query["structuredQuery"]["orderBy"][0]["direction"] = "DESCENDING"
    query["structuredQuery"]["limit"] = 2
    status, rows = await cloud.post(":runQuery", query)
    assert status == 200
    names = [row["document"]["name"] for row in rows]
    assert len(names) == 2
    assert names == sorted(names, reverse=True)


async def test_run_query_empty_account(cloud: Cloud) -> None:
    cloud.sim.set_password("newbie@example.com", "pw123456")
    await cloud.sign_in("newbie@example.com", "pw123456")
    status, rows = await cloud.post(":runQuery", cloud.query(await cloud.account_id()))
    assert status == 200
    assert len(rows) == 1
    assert set(rows[0]) == {"readTime"}


async def test_run_query_rules_and_validation(cloud: Cloud) -> None:
    account_id = await cloud.account_id()
    good = cloud.query(account_id)["structuredQuery"]

    def variant(**changes: Any) -> dict[str, Any]:
        query = dict(good)
        query.update(changes)
        return {"structuredQuery": {k: v for k, v in query.items() if v is not None}}

    def fil(field: str = "accountId", op: str = "EQUAL", value: Any = None) -> dict[str, Any]:
        value = {"stringValue": account_id} if value is None else value
        return {"fieldFilter": {"field": {"fieldPath": field}, "op": op, "value": value}}

    forbidden = [
        variant(where=fil(value={"stringValue": "someone-else"})),
        variant(where=None),
        variant(**{"from": [{"collectionId": "users"}]}),
        variant(where=fil(field="label")),
        variant(where=fil(op="NOT_EQUAL")),
        variant(where=fil(value={"integerValue": "1"})),
    ]
    for body in forbidden:
        status, answer = await cloud.post(":runQuery", body)
        assert status == 403, body
        assert answer["error"]["status"] == "PERMISSION_DENIED"
    bad: list[object] = [
        [],
        {"structuredQuery": "devices"},
        variant(**{"from": []}),
        variant(where={"compositeFilter": {}}),
        variant(where=fil(op="SOUNDS_LIKE")),
        variant(orderBy=[{"field": {"fieldPath": "label"}}]),
        variant(orderBy=[{"field": {"fieldPath": "__name__"}, "direction": "UP"}]),
        variant(limit=-1),
        variant(limit=True),
    ]
    for nonsense in bad:
        status, answer = await cloud.post(":runQuery", nonsense)
        assert status == 400, nonsense
        assert answer["error"]["status"] == "INVALID_ARGUMENT"


async def test_get_device_with_raw_and_encoded_serial(cloud: Cloud) -> None:
    serial = serial_of(cloud, "signals")
    assert ":" in serial
    raw = await cloud.get(f"devices/{serial}")
    encoded = await cloud.get(f"devices/{serial.replace(':', '%3A')}")
    assert raw[0] == encoded[0] == 200
    assert raw[1] == encoded[1]
    doc = raw[1]
    assert doc["name"] == f"{cloud.root}/devices/{serial}"
    fields = doc["fields"]
    assert fields["serial"] == {"stringValue": serial}
    assert fields["deviceId"] == {"stringValue": serial}
    assert fields["device"] == {"stringValue": "signals"}
    assert fields["label"] == {"stringValue": "Brisket Smoker"}
    assert set(fields["battery"]) == {"integerValue"}
    assert isinstance(fields["battery"]["integerValue"], str)
    assert int(fields["wifi_stength"]["integerValue"]) < 0  # sic
    assert "wifi_strength" not in fields
    assert fields["batteryState"]["stringValue"] in {"charging", "discharging", "full"}
    fan = fields["fan"]["mapValue"]["fields"]
    assert fan["connected"] == {"booleanValue": True}
    assert fan["state"]["integerValue"] in {"0", "1", "2"}
    assert fan["fan_channel"] == {"stringValue": "1"}
    assert "timestampValue" in fields["lastSeen"]
    assert "pendingLoad" in fields  # unknown fields are part of the fun


async def test_rfx_meat_quirks(cloud: Cloud) -> None:
    serial = serial_of(cloud, "rfx meat")
    gateway = serial_of(cloud, "rfx gateway")
    assert serial.startswith("M1000")
    assert len(serial) == 10
    status, doc = await cloud.get(f"devices/{serial}")
    assert status == 200
    fields = doc["fields"]
    assert "deviceId" not in fields
    assert "wifi_stength" not in fields
    rssi = fields["gatewayRSSI"]
    assert set(rssi) == {"stringValue"}
    assert int(rssi["stringValue"]) < 0
    assert fields["gatewayId"] == {"stringValue": gateway}
    assert fields["type"] == {"stringValue": "rfx"}
    assert fields["temperatureDeltaTrigger"] == {"integerValue": "2"}
    for channel in "1234":
        assert (await cloud.get(f"devices/{serial}/channels/{channel}"))[0] == 200
    assert (await cloud.get(f"devices/{serial}/channels/5"))[0] == 404


async def test_channel_document(cloud: Cloud) -> None:
    serial = serial_of(cloud, "signals")
    cloud.sim.advance(7200)
    await cloud.sign_in()  # the first id token expired meanwhile
    status, doc = await cloud.get(f"devices/{serial}/channels/2", encode=True)
    assert status == 200
    fields = doc["fields"]
    assert fields["number"] == {"stringValue": "2"}
    assert fields["label"] == {"stringValue": "Brisket Flat"}
    assert fields["units"] == {"stringValue": "F"}
    assert fields["enabled"] == {"booleanValue": True}
    value = fields["value"]
    if "doubleValue" in value:  # float32 noise: a value that is exactly a float32
        double = value["doubleValue"]
        assert struct.unpack("<f", struct.pack("<f", double))[0] == double
    else:
        assert value["integerValue"].lstrip("-").isdigit()
    high = fields["alarmHigh"]["mapValue"]["fields"]
    assert high["value"] == {"integerValue": "203"}
    assert high["alarming"] == {"booleanValue": False}
    assert set(high) == {"enabled", "alarming", "value", "units", "muted", "lastNotified"}
    assert "minimum" in fields
    assert "maximum" in fields
    assert fields["estimatedAlarmStatus"]["stringValue"].endswith(("minutes", "Hours"))


async def test_unplugged_and_disabled_channel(cloud: Cloud) -> None:
    serial = serial_of(cloud, "signals")
    status, doc = await cloud.get(f"devices/{serial}/channels/4")
    assert status == 200
    fields = doc["fields"]
    assert fields["value"] == {"nullValue": None}
    assert fields["status"] == {"stringValue": "NO PROBE"}
    assert fields["enabled"] == {"booleanValue": False}


async def test_humidity_channel_quirk(cloud: Cloud) -> None:
    serial = serial_of(cloud, "node")
    status, doc = await cloud.get(f"devices/{serial}/channels/2")
    assert status == 200
    fields = doc["fields"]
    assert fields["units"] == {"stringValue": "H"}
    assert fields["alarmHigh"]["mapValue"]["fields"]["units"] == {"stringValue": "F"}
    device = (await cloud.get(f"devices/{serial}"))[1]["fields"]
    assert device["transmitIntervalInSeconds"] == {"integerValue": "7200"}
    assert device["recordingIntervalInSeconds"] == {"integerValue": "600"}


async def test_not_found_forms(cloud: Cloud) -> None:
    serial = serial_of(cloud, "smoke")
    status, body = await cloud.get(f"devices/{serial}/channels/3")
    assert status == 404
    assert body == {
        "error": {
            "code": 404,
            "message": f'Document "{cloud.root}/devices/{serial}/channels/3" not found.',
            "status": "NOT_FOUND",
        }
    }
    status, body = await cloud.get("devices/AA:BB:CC:DD:EE:FF")
    assert status == 404
    assert (await cloud.get(f"devices/{serial}/archive"))[0] == 404  # a collection
    assert (await cloud.get(f"devices/{serial}/archive/x"))[0] == 403
    assert (await cloud.get("recipes/x"))[0] == 403


async def test_unknown_project_and_database(cloud: Cloud) -> None:
    base = f"{cloud.sim.base_url}/v1/projects"
    async with cloud.http.get(
        f"{base}/other-project/databases/(default)/documents/users/{cloud.uid}",
        headers=cloud.auth,
    ) as resp:
        assert resp.status == 404
        assert "other-project" in (await resp.json())["error"]["message"]
    async with cloud.http.get(
        f"{base}/{cloud.sim.project_id}/databases/other/documents/users/{cloud.uid}",
        headers=cloud.auth,
    ) as resp:
        assert resp.status == 404
    async with cloud.http.delete(f"{cloud.docs}/users/{cloud.uid}", headers=cloud.auth) as resp:
        assert resp.status == 400


async def test_other_accounts_devices_are_forbidden(cloud: Cloud) -> None:
    cloud.sim.set_password("neighbour@example.com", "secret99")
    serial = cloud.sim.add_device("smoke", email="neighbour@example.com")
    status, _ = await cloud.get(f"devices/{serial}")
    assert status == 403
    assert (await cloud.get(f"devices/{serial}/channels/1"))[0] == 403
    status, _ = await cloud.post(":batchGet", {"documents": [f"{cloud.root}/devices/{serial}"]})
    assert status == 403
    await cloud.sign_in("neighbour@example.com", "secret99")
    assert (await cloud.get(f"devices/{serial}"))[0] == 200


async def test_batch_get_found_and_missing(cloud: Cloud) -> None:
    serial = serial_of(cloud, "smoke")
    names = [
        f"{cloud.root}/devices/{serial}",
        f"{cloud.root}/devices/{serial}/channels/1",
        f"{cloud.root}/devices/{serial}/channels/2",
        f"{cloud.root}/devices/{serial}/channels/3",
        f"{cloud.root}/users/{cloud.uid}",
    ]
    status, rows = await cloud.post(":batchGet", {"documents": names})
    assert status == 200
    assert len(rows) == 5
    assert [row["found"]["name"] for row in rows if "found" in row] == names[:3] + names[4:]
    assert rows[3] == {"missing": names[3], "readTime": rows[3]["readTime"]}
    single = (await cloud.get(f"devices/{serial}/channels/1"))[1]
    assert rows[1]["found"] == single


async def test_batch_get_validation(cloud: Cloud) -> None:
    serial = serial_of(cloud, "smoke")
    other = f"projects/other/databases/(default)/documents/devices/{serial}"
    bodies: list[dict[str, Any]] = [
        {"documents": [other]},
        {"documents": []},
        {"documents": [1]},
        {"documents": [f"{cloud.root}/devices"]},
        {"documents": [f"{cloud.root}/"]},
        {},
    ]
    for body in bodies:
        status, answer = await cloud.post(":batchGet", body)
        assert status == 400, body
        assert answer["error"]["code"] == 400
    async with cloud.http.post(
        f"{cloud.docs}:batchGet", headers=cloud.auth, data=b"nonsense"
    ) as resp:
        assert resp.status == 400
