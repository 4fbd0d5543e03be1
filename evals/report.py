"""One self-contained HTML report a policy expert can read: failures first, expected vs. got."""

from __future__ import annotations

import html
import json

from evals.metrics import Metrics
from evals.models import CaseResult

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","PingFang SC",sans-serif;margin:2rem;
color:#1f2933;max-width:1100px}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border:1px solid #d9e2ec;padding:.35rem .5rem;
text-align:left;vertical-align:top}th{background:#f0f4f8}
.fail{border-left:4px solid #d64545;padding:.5rem 1rem;margin:1rem 0;background:#fff5f5}
.pass{border-left:4px solid #3f9142;padding:.3rem 1rem;margin:.4rem 0;background:#f4fbf4}
.bad{color:#b42318;font-weight:600}.good{color:#2f7a33}
pre{white-space:pre-wrap;background:#f7f9fb;padding:.6rem;border-radius:4px;font-size:.85rem}
details summary{cursor:pointer}
"""


def _fmt(v: float | None, pct: bool = True) -> str:
    if v is None:
        return "—"
    return f"{v * 100:.1f}%" if pct else f"{v:.0f}"


def _bar_chart(rows: dict[str, Metrics]) -> str:
    """Pass rate per category as an inline SVG bar chart."""
    width, bar_h, gap, label_w = 640, 18, 6, 130
    height = (bar_h + gap) * len(rows) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        'aria-label="pass rate by category">'
    ]
    for i, (name, m) in enumerate(rows.items()):
        rate = m.passed / m.cases if m.cases else 0.0
        y = i * (bar_h + gap) + 5
        w = int((width - label_w - 60) * rate)
        color = "#3f9142" if rate >= 0.9 else "#d9a400" if rate >= 0.6 else "#d64545"
        parts.append(f'<text x="0" y="{y + 13}" font-size="12">{html.escape(name)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="{color}"/>')
        parts.append(
            f'<text x="{label_w + w + 4}" y="{y + 13}" font-size="12">{rate * 100:.0f}% ({m.passed}/{m.cases})</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def render(results: list[CaseResult], overall: Metrics, categories: dict[str, Metrics], title: str) -> str:
    e = html.escape
    rows = [
        ("Cases passed", f"{overall.passed}/{overall.cases}"),
        ("Amount exact match", f"{_fmt(overall.amount_exact)} of {overall.amount_cases}"),
        ("Citation recall", _fmt(overall.citation_recall)),
        ("Citation precision", _fmt(overall.citation_precision)),
        ("must_include", _fmt(overall.must_include)),
        ("must_not_include", _fmt(overall.must_not_include)),
        ("Refusal precision / recall", f"{_fmt(overall.refusal_precision)} / {_fmt(overall.refusal_recall)}"),
        ("Follow-up accuracy", _fmt(overall.follow_up_accuracy)),
        ("Cites only the places asked", _fmt(overall.in_place)),
        (
            "Retrieval Recall@1 / @5 / MRR",
            f"{_fmt(overall.recall_at_1)} / {_fmt(overall.recall_at_5)} / {overall.mrr:.3f}"
            if overall.mrr is not None
            else "—",
        ),
        ("Latency p50 / p95", f"{_fmt(overall.latency_p50_ms, False)} ms / {_fmt(overall.latency_p95_ms, False)} ms"),
    ]
    out = [
        f"<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>{e(title)}</title>"
        f"<style>{_CSS}</style></head><body><h1>{e(title)}</h1><table>"
    ]
    out += [f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in rows]
    out.append("</table><h2>By category</h2>")
    out.append(_bar_chart(categories))
    out.append(
        "<table><tr><th>category</th><th>cases</th><th>passed</th><th>amount</th><th>citation recall</th>"
        "<th>must_include</th><th>refusal recall</th></tr>"
    )
    for name, m in categories.items():
        out.append(
            f"<tr><td>{e(name)}</td><td>{m.cases}</td><td>{m.passed}</td><td>{_fmt(m.amount_exact)}</td>"
            f"<td>{_fmt(m.citation_recall)}</td><td>{_fmt(m.must_include)}</td>"
            f"<td>{_fmt(m.refusal_recall)}</td></tr>"
        )
    out.append("</table>")
    failures = [r for r in results if not r.passed]
    out.append(f"<h2>Failures ({len(failures)})</h2>")
    for r in failures:
        answer = r.answer or {}
        got_cites = "; ".join(f"《{c['doc_title']}》{c['locator']}" for c in answer.get("citations", []))
        calc = answer.get("calculation") or {}
        failed = [c for c in r.checks if not c.passed]
        out.append(f"<div class='fail'><b>{e(r.id)}</b> · {e(r.category)}<p><b>问题：</b>{e(r.question)}</p>")
        if r.error:
            out.append(f"<p class='bad'>Error: {e(r.error)}</p>")
        out.append("<table><tr><th>check</th><th>expected</th></tr>")
        out += [f"<tr><td class='bad'>{e(c.name)}</td><td>{e(c.detail)}</td></tr>" for c in failed]
        out.append(
            f"</table><p><b>Got amount:</b> {e(str(calc.get('amount_yuan', '—')))} · "
            f"<b>cited:</b> {e(got_cites or '—')} · <b>refused:</b> {answer.get('refused')} · "
            f"<b>follow-up:</b> {e(str(answer.get('follow_up')))}</p>"
        )
        out.append(f"<details><summary>Answer text</summary><pre>{e(answer.get('text', ''))}</pre></details></div>")
    out.append(f"<h2>Passed ({len(results) - len(failures)})</h2>")
    for r in results:
        if r.passed:
            out.append(f"<div class='pass'><b>{e(r.id)}</b> · {e(r.category)} — {e(r.question)}</div>")
    out.append(f"<script type='application/json' id='metrics'>{e(json.dumps(overall.model_dump()))}</script>")
    out.append("</body></html>")
    return "".join(out)
