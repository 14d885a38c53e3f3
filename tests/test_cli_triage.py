from __future__ import annotations

import json

from click.testing import CliRunner

from bot.cli_triage import triage


def test_single_text_human_readable() -> None:
    res = CliRunner().invoke(triage, ["dedek kejang"])
    assert res.exit_code == 0
    assert "danger_baby" in res.output and "URGENT" in res.output and "kejang" in res.output


def test_single_text_json() -> None:
    res = CliRunner().invoke(triage, ["--json", "puting sy lecet bgt"])
    assert res.exit_code == 0
    d = json.loads(res.output)
    assert d["label"] == "latch_pain" and d["urgent"] is False and d["reasons"]


def test_stdin_jsonl_with_bad_lines_never_crashes() -> None:
    stdin = (
        "\n".join(
            [
                json.dumps({"id": "a", "text": "dedek kejang"}),
                "this is not json",
                json.dumps([1, 2]),
                json.dumps({"id": "c"}),
                json.dumps({"id": "d", "text": 5}),
                "",
                json.dumps({"id": "e", "text": "makasih bun"}),
            ]
        )
        + "\n"
    )
    res = CliRunner().invoke(triage, [], input=stdin)
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.output.splitlines()]
    assert lines[0] == {"id": "a", "label": "danger_baby", "urgent": True}
    assert "error" in lines[1] and "error" in lines[2]
    assert lines[3]["id"] == "c" and "error" in lines[3]
    assert lines[4]["id"] == "d" and "error" in lines[4]
    assert lines[5] == {"id": "e", "label": "none", "urgent": False}
    assert len(lines) == 6
