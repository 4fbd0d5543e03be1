"""The web layer: one process, one port — Gradio chat page, HTTP API, helpdesk widget.

    python app.py [--host 127.0.0.1] [--port 7860]

Routes: /  (chat page) · POST /api/chat · GET /api/health · POST /api/feedback · /docs (OpenAPI)
        · GET /widget.js · GET /widget · /static/* · /admin, /admin/api/* (only with POLICY_QA_ADMIN_TOKEN)
"""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import argparse
import html
import json
import logging
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import gradio as gr
from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from admin import admin_router
from assistant import intake
from assistant.chat import Assistant
from assistant.errors import AssistantError, ConfigError
from assistant.feedback import Feedback, FeedbackStore
from assistant.live import LiveAssistant
from assistant.models import Answer, Message
from assistant.settings import Settings, get_settings
from protect import BodyLimit, ErrorBody, Protection, Refused
from retrieval.errors import RetrievalError

log = logging.getLogger("policy-qa")
WEB = Path(__file__).resolve().parent / "web"
AnswerFn = Callable[[str, list[Message], str | None], Answer]

EXAMPLES = [
    "我们在西城，委托机构做专利导航花了80万，能补多少？",
    "经开区科技型中小企业，100人，租了2300平，租金每天1.4元一平，一年能补多少房租？",
    "氢能加氢站压缩机12小时额定能力1200公斤，建设补贴多少？",
    "海淀上市公司并购重组补贴怎么算？",
    "北京經開區“科創二十條2.0”房租補貼是什麼標準？",
    "门头沟人工智能那套措施现在还有效吗？",
]


class ChatRequest(BaseModel):
    message: str = Field(
        description="the user's question; past POLICY_QA_MAX_MESSAGE_CHARS (2000) it is trimmed and the answer says so"
    )
    history: list[Message] = Field(
        default_factory=list, description="earlier turns, oldest first; the oldest are dropped past the budget"
    )
    region: str | None = Field(default=None, description="a region hint, e.g. 西城区")


CHAT_SHAPE = '请发送 JSON：{"message": "您的问题", "history": [], "region": null}'


class Health(BaseModel):
    status: str
    documents: int
    clauses: int
    rules: int
    corpus_version: str = Field(description="fingerprint of the corpus served; changes when documents change")
    index: str
    llm: bool


def origin_regex(origins: list[str]) -> str:
    """'http://127.0.0.1:*' → a regex matching any port; exact origins stay exact."""
    parts = [re.escape(o).replace(r"\*", r"[0-9]+") for o in origins]
    return "^(" + "|".join(parts) + ")$" if parts else "^$"


def answer_function(assistant: Assistant, settings: Settings) -> AnswerFn:
    if settings.llm_enabled:
        from assistant.llm import LLMAnswerer, chat_model

        llm = LLMAnswerer(assistant, chat_model(settings))

        return llm.answer
    return lambda message, history, region: assistant.answer(message, history, region=region)


# -- rendering for the chat page ---------------------------------------------------------------

_BADGE = {"draft": "#8d6708", "summary": "#2d3a8c", "interpretation": "#2d3a8c"}
_BADGE |= {"repealed": "#b42318", "superseded": "#b42318", "expired": "#b42318"}


def citation_cards(answer: Answer) -> str:
    if not answer.citations:
        return ""
    cards = []
    for c in answer.citations:
        color = "#b42318" if c.status_label == "已过有效期" else _BADGE.get(c.status, "#1f7a33")
        cards.append(
            "<details class='pqa-cite'><summary>"
            f"《{html.escape(c.doc_title)}》{html.escape(c.locator)} "
            f"<span class='pqa-badge' style='color:{color};border-color:{color}'>{html.escape(c.status_label)}</span>"
            f"</summary><blockquote>{html.escape(c.quote).replace(chr(10), '<br>')}</blockquote></details>"
        )
    return "<div class='pqa-cites'><h4>依据条款</h4>" + "".join(cards) + "</div>"


def calculation_table(answer: Answer) -> str:
    calc = answer.calculation
    if calc is None:
        return ""
    rows = []
    for i, step in enumerate(calc.steps, 1):
        binding = calc.binding_limit is not None and calc.binding_limit in step and "上限" in step
        cls = " class='pqa-binding'" if binding else ""
        rows.append(f"<tr{cls}><td>{i}</td><td>{html.escape(step)}</td></tr>")
    extra = ""
    if calc.binding_limit:
        extra += f"<p><b>起决定作用的限制：</b>{html.escape(calc.binding_limit)}</p>"
    if calc.assumptions:
        extra += "<p><b>前提与假设：</b>" + "；".join(html.escape(a) for a in calc.assumptions) + "</p>"
    return "<div class='pqa-calc'><h4>计算过程</h4><table>" + "".join(rows) + "</table>" + extra + "</div>"


def suggestions(answer: Answer) -> list[str]:
    if answer.refused or not answer.citations:
        return []
    out = [f"《{answer.citations[0].doc_title}》现在还有效吗？"]
    if answer.calculation is None and answer.follow_up is None:
        out.append("这一条具体能补多少钱？怎么算？")
    out.append("申请这项支持需要满足哪些条件？")
    return out


def _content_text(content: Any) -> str:
    """History content from the browser is a list of parts; from gradio_client a plain string."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
    if isinstance(content, dict):
        return str(content.get("text", ""))
    return str(content)


# What a user typed is shown in the chat as text: HTML and Markdown (links, images that would load from
# another site, emphasis, formulas) are escaped, reversibly, so the history the page sends back is read as typed.
_MARKUP = r"[\\`*_{}\[\]()#+\-.!|~$:@]"
_MARKUP_RE = re.compile(f"({_MARKUP})")
_ESCAPED_RE = re.compile(f"\\\\({_MARKUP})")


def shown_as_text(typed: str) -> str:
    """The user's words for the chat bubble: rendered as Markdown, they show as typed and do nothing."""
    return _MARKUP_RE.sub(r"\\\1", html.escape(typed, quote=False))


def typed_text(shown: str) -> str:
    """The inverse of `shown_as_text`."""
    return html.unescape(_ESCAPED_RE.sub(r"\1", shown))


def to_messages(history: list[dict[str, Any]], from_page: bool = False) -> list[Message]:
    """Turns as the assistant reads them; `from_page`: the chat page's own history, user turns shown as text."""
    out = []
    for m in history or []:
        role = m.get("role")
        if role in ("user", "assistant"):
            content = _content_text(m.get("content"))
            if from_page and role == "user":
                content = typed_text(content)
            out.append(Message(role=role, content=content))
    return out


def _answer_text(answer: Answer) -> str:
    """The chat bubble from the answer's parts: lead, details and warnings (the clauses are in the cards)."""
    if not answer.lead:
        return answer.text  # an answer with no parts (the LLM's own words, a refusal) is its text
    return "\n\n".join([answer.lead, *answer.details, *(f"⚠️ {w}" for w in answer.warnings)])


# -- the Gradio page ---------------------------------------------------------------------------

CSS = """
.gradio-container { max-width: 1000px !important; margin: auto; }
.pqa-cite { border: 1px solid #d9e2ec; border-radius: 8px; padding: 6px 10px; margin: 6px 0; background: #fbfcfd; }
.pqa-cite summary { cursor: pointer; }
.pqa-badge { border: 1px solid; border-radius: 10px; padding: 0 6px; font-size: 12px; margin-left: 4px; }
.pqa-cite blockquote { margin: 6px 0; color: #52606d; border-left: 3px solid #d9e2ec; padding-left: 8px; }
.pqa-calc table { border-collapse: collapse; width: 100%; }
.pqa-calc td { border-top: 1px solid #d9e2ec; padding: 4px 6px; vertical-align: top; }
.pqa-calc tr.pqa-binding td { background: #fff3c4; font-weight: 600; }
@media (max-width: 640px) { .gradio-container { padding: 4px !important; } }
"""
THEME = gr.themes.Default(
    font=["system-ui", "-apple-system", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "monospace"],
)


def client_of(request: Request | gr.Request | None) -> str:
    """The client's address (behind a trusted reverse proxy, the one it forwarded)."""
    client = getattr(request, "client", None)
    return str(getattr(client, "host", None) or "unknown")


def build_page(
    answer_fn: AnswerFn, store: FeedbackStore, regions: list[str], llm: bool, protection: Protection
) -> gr.Blocks:
    budget = protection.settings.budget

    def guarded(message: str, history: list[Message], region: str | None, request: gr.Request | None) -> Answer:
        """One answer within the limits: rate per client, answers at once, time; the message cleaned first."""
        protection.rate.check(client_of(request))
        return protection.runner.run_sync(lambda: intake.answer(answer_fn, message, history, region, budget))

    with gr.Blocks(title="政策问答助手", analytics_enabled=False) as page:
        gr.Markdown(
            "## 政策问答助手\n北京科技创新扶持政策：哪些条款适用、能拿多少，逐条引用原文，金额按规则精确计算。"
            + ("（当前由大模型组织语言，数字仍经核验）" if llm else "")
        )
        last_answer = gr.State(None)
        last_question = gr.State("")
        with gr.Row():
            region = gr.Dropdown(["全部地区", *regions], value="全部地区", label="地区（可选）", scale=1)
        chatbot = gr.Chatbot(
            label="对话",
            height=460,
            examples=[{"text": q} for q in EXAMPLES],
            placeholder="请输入问题，或点击下面的示例。",
            sanitize_html=True,
            render_markdown=True,
            feedback_options=("Like", "Dislike"),
            buttons=["copy"],
        )
        with gr.Row():
            box = gr.Textbox(show_label=False, placeholder="例如：我们在西城做专利导航花了80万，能补多少？", scale=5)
            send = gr.Button("发送", variant="primary", scale=1)
        chips = gr.Dataset(components=[gr.Textbox(visible=False)], samples=[], label="您可能还想问", visible=False)
        cards = gr.HTML()
        with gr.Accordion("复制为 JSON", open=False):
            as_json = gr.Code(language="json", label="回答对象（answer contract）")
        with gr.Row():
            comment = gr.Textbox(label="反馈意见（可选）", scale=4)
            thumbs_up = gr.Button("有帮助", scale=1)
            thumbs_down = gr.Button("没帮助", scale=1)
        feedback_note = gr.Markdown()

        def respond(
            message: str, history: list[dict[str, Any]], region_value: str, request: gr.Request
        ) -> Iterator[tuple[Any, ...]]:
            message = (message or "").strip()
            if not message:
                yield history, "", gr.update(), gr.update(), gr.update(), None, ""
                return
            msgs = to_messages(history, from_page=True)
            history = [
                *history,
                {"role": "user", "content": shown_as_text(message)},
                {"role": "assistant", "content": "…"},
            ]
            yield history, "", gr.update(), "", gr.update(), None, message
            try:
                region_hint = None if region_value in (None, "", "全部地区") else region_value
                answer = guarded(message, msgs, region_hint, request)
            except Refused as e:
                history[-1] = {"role": "assistant", "content": e.detail}
                yield history, "", gr.update(), "", gr.update(), None, message
                return
            except (AssistantError, RetrievalError) as e:
                history[-1] = {"role": "assistant", "content": f"抱歉，出错了：{e}"}
                yield history, "", gr.update(), "", gr.update(), None, message
                return
            text = _answer_text(answer)
            # Stream the reply sentence by sentence.
            pieces = re.split(r"(?<=[。；\n])", text)
            shown = ""
            for piece in pieces:
                shown += piece
                history[-1] = {"role": "assistant", "content": shown}
                yield history, "", gr.update(), "", gr.update(), None, message
            sugg = suggestions(answer)
            yield (
                history,
                "",
                gr.update(samples=[[s] for s in sugg], visible=bool(sugg)),
                citation_cards(answer) + calculation_table(answer),
                json.dumps(answer.model_dump(mode="json"), ensure_ascii=False, indent=2),
                answer.model_dump(mode="json"),
                message,
            )

        outputs = [chatbot, box, chips, cards, as_json, last_answer, last_question]
        box.submit(respond, [box, chatbot, region], outputs, api_visibility="private")
        send.click(respond, [box, chatbot, region], outputs, api_visibility="private")

        def on_example(
            evt: gr.SelectData, history: list[dict[str, Any]], region_value: str, request: gr.Request
        ) -> Iterator[tuple[Any, ...]]:
            yield from respond(str(evt.value.get("text", "")), history, region_value, request)

        def on_chip(
            sample: list[str], history: list[dict[str, Any]], region_value: str, request: gr.Request
        ) -> Iterator[tuple[Any, ...]]:
            yield from respond(sample[0] if sample else "", history, region_value, request)

        chatbot.example_select(on_example, [chatbot, region], outputs, api_visibility="private")
        chips.click(on_chip, [chips, chatbot, region], outputs, api_visibility="private")

        def save(rating: str, answer: dict[str, Any] | None, question: str, note: str, history: list[Any]) -> str:
            if not answer:
                return "请先提问，再评价回答。"
            msgs = to_messages(history, from_page=True)[:-2]
            store.add(
                Feedback(
                    question=question or "(未知)",
                    history=msgs,
                    answer=Answer.model_validate(answer),
                    rating="up" if rating == "up" else "down",
                    comment=note or "",
                )
            )
            return "谢谢您的反馈，已记录。"

        thumbs_up.click(
            lambda a, q, n, h: save("up", a, q, n, h), [last_answer, last_question, comment, chatbot], feedback_note
        )
        thumbs_down.click(
            lambda a, q, n, h: save("down", a, q, n, h), [last_answer, last_question, comment, chatbot], feedback_note
        )

        def on_like(data: gr.LikeData, answer: dict[str, Any] | None, question: str, history: list[Any]) -> str:
            return save("up" if data.liked else "down", answer, question, "", history)

        chatbot.like(on_like, [last_answer, last_question, chatbot], feedback_note)

        def ask(
            message: str,
            history: list[dict[str, str]] | None = None,
            region: str | None = None,
            request: gr.Request = None,  # type: ignore[assignment]
        ) -> dict[str, Any]:
            """Ask the assistant; returns the answer object (text, citations, calculation, refused, follow_up, mode).

            Args:
                message: the question.
                history: earlier turns as [{"role": "user"|"assistant", "content": "..."}].
                region: an optional region hint such as 西城区.
            """
            try:
                answer = guarded(str(message or ""), to_messages(history or []), region or None, request)
            except Refused as e:
                raise gr.Error(e.detail) from e
            return answer.model_dump(mode="json")

        gr.api(ask, api_name="ask")
    return page


# -- the FastAPI app ---------------------------------------------------------------------------


def create_app(settings: Settings, assistant: Assistant, answer_fn: AnswerFn | None = None) -> FastAPI:
    # Documents added, replaced or retired while the app runs: the assistant is rebuilt and swapped whole.
    live = LiveAssistant(assistant, settings, lambda a: answer_function(a, settings))
    answer_fn = answer_fn or live.answer
    store = FeedbackStore(settings.data_dir / "feedback.sqlite")
    protection = Protection(settings)
    app = FastAPI(
        title="政策问答助手 API",
        version="0.1.0",
        description="Cited answers and exact subsidy amounts from Beijing sci-tech policy documents.",
    )
    # Uploads on the admin page have their own, larger limit.
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes, exempt=("/admin/api/preview",))
    app.add_middleware(
        CORSMiddleware,
        allow_origin_regex=origin_regex(settings.origins),
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type"],
    )
    frame_ancestors = " ".join(["'self'", *settings.origins])

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Any]) -> Response:
        response: Response = await call_next(request)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        if request.url.path.startswith("/widget") and not request.url.path.endswith(".js"):
            response.headers["Content-Security-Policy"] = f"frame-ancestors {frame_ancestors}"
        elif not request.url.path.startswith("/widget.js"):
            response.headers["Content-Security-Policy"] = "frame-ancestors 'self'"
        return response

    @app.get("/api/health", response_model=Health, tags=["api"])
    def health() -> Health:
        current = live.generation
        corpus = current.assistant.corpus
        return Health(
            status="ok",
            documents=len(corpus),
            clauses=len(corpus.clauses),
            rules=len(current.assistant.rulebook.rules),
            corpus_version=current.version,
            index="server" if settings.chroma_host else "embedded",
            llm=settings.llm_enabled,
        )

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> JSONResponse:
        return exc.response()

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = "；".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()) if p != 'body') or '请求体'}：{e.get('msg', '')}"
            for e in exc.errors()[:5]
        )
        hint = CHAT_SHAPE if request.url.path == "/api/chat" else "请按 /docs 中的格式发送"
        body = ErrorBody(detail=f"请求格式不对（{fields}）。{hint}。", error="invalid_request")
        return JSONResponse(body.model_dump(), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if not request.url.path.startswith("/api/") or exc.status_code != 400:
            return await http_exception_handler(request, exc)
        hint = CHAT_SHAPE if request.url.path == "/api/chat" else "请按 /docs 中的格式发送"
        body = ErrorBody(detail=f"请求格式不对（请求体不是可读的 JSON）。{hint}。", error="invalid_request")
        return JSONResponse(body.model_dump(), status_code=400)

    refusals: dict[int | str, dict[str, Any]] = {
        code: {"model": ErrorBody, "description": text}
        for code, text in {
            413: "body over POLICY_QA_MAX_BODY_BYTES",
            422: "not the request schema",
            429: "over POLICY_QA_RATE_LIMIT for this client (Retry-After)",
            503: "POLICY_QA_MAX_CONCURRENT answers already running (Retry-After), or the index is unavailable",
            504: "no answer within POLICY_QA_REQUEST_TIMEOUT_S",
        }.items()
    }

    @app.post("/api/chat", response_model=Answer, tags=["api"], responses=refusals)
    async def chat(req: ChatRequest, request: Request) -> Answer:
        """Stateless: send the question and the earlier turns; get the answer contract back."""
        protection.rate.check(client_of(request))

        def work() -> Answer:
            return intake.answer(answer_fn, req.message, req.history, req.region, settings.budget)

        try:
            return await protection.runner.run(work)
        except (AssistantError, RetrievalError) as e:
            raise Refused(503, "unavailable", f"暂时无法回答：{e}。请稍后再试。", retry_after=30) from e

    @app.post("/api/feedback", tags=["api"])
    def feedback(fb: Feedback) -> dict[str, int]:
        return {"id": store.add(fb)}

    @app.get("/widget.js", include_in_schema=False)
    def widget_js() -> FileResponse:
        return FileResponse(WEB / "widget.js", media_type="text/javascript; charset=utf-8")

    @app.get("/widget", include_in_schema=False)
    def widget() -> HTMLResponse:
        return HTMLResponse((WEB / "widget.html").read_text(encoding="utf-8"))

    app.include_router(admin_router(settings, live, store))  # /admin: upload → preview → publish (off without a token)
    app.mount("/static", StaticFiles(directory=WEB), name="static")
    regions = sorted({d.meta.region for d in assistant.corpus})
    page = build_page(answer_fn, store, regions, settings.llm_enabled, protection)
    return gr.mount_gradio_app(app, page, path="/", theme=THEME, css=CSS, footer_links=["api"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="政策问答助手 web app")
    parser.add_argument("--host", help="interface to listen on (default: POLICY_QA_HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default: POLICY_QA_PORT or 7860)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = get_settings()
        if args.host:
            settings = settings.model_copy(update={"host": args.host})
        if args.port:
            settings = settings.model_copy(update={"port": args.port})
        from assistant.service import build_assistant

        print("Loading the corpus and the search index (built on first start, with progress) …", file=sys.stderr)
        assistant = build_assistant(settings, progress=True)
        app = create_app(settings, assistant)
    except (ConfigError, AssistantError, RetrievalError, ValueError) as e:
        print(f"错误: {e}", file=sys.stderr)
        return 2
    import uvicorn

    print(f"政策问答助手: http://{settings.host}:{settings.port}/  (API docs: /docs)", file=sys.stderr)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        proxy_headers=True,
        forwarded_allow_ips=settings.trusted_proxies,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
