"""``asibot triage``: run the message triage from the command line.

asibot triage "dedek kejang"          one message, human readable, with reasons
asibot triage --json "dedek kejang"   one message as JSON
asibot triage < messages.jsonl        JSON lines {"id", "text"} -> {"id", "label", "urgent"}
"""

from __future__ import annotations

import json
import sys

import click

from flows.triage import classify


def _result_dict(text: str) -> dict[str, object]:
    r = classify(text)
    return {
        "label": r.label,
        "urgent": r.urgent,
        "reasons": list(r.reasons),
        "self_harm": r.self_harm,
    }


@click.command(name="triage")
@click.argument("text", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the single result as JSON.")
def triage(text: str | None, as_json: bool) -> None:
    """Triage TEXT, or JSON lines {"id": ..., "text": ...} from stdin."""
    if text is not None:
        d = _result_dict(text)
        if as_json:
            click.echo(json.dumps({"text": text, **d}, ensure_ascii=False))
            return
        urgent = "URGENT" if d["urgent"] else "not urgent"
        click.echo(f"label: {d['label']} ({urgent})")
        reasons = d["reasons"]
        assert isinstance(reasons, list)
        click.echo("reasons: " + (", ".join(reasons) if reasons else "-"))
        if d["self_harm"]:
            click.echo("self-harm: yes")
        return
    stream = click.get_text_stream("stdin")
    for lineno, line in enumerate(stream, 1):
        line = line.strip()
        if not line:
            continue
        out: dict[str, object]
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            out = {"id": None, "line": lineno, "error": f"invalid JSON: {exc.msg}"}
        else:
            if not isinstance(obj, dict):
                out = {"id": None, "line": lineno, "error": "expected a JSON object"}
            elif not isinstance(obj.get("text"), str):
                out = {"id": obj.get("id"), "line": lineno, "error": "missing or non-string 'text'"}
            else:
                r = classify(obj["text"])
                out = {"id": obj.get("id"), "label": r.label, "urgent": r.urgent}
        click.echo(json.dumps(out, ensure_ascii=False))
    sys.stdout.flush()
