"""The admin page: upload a policy document, preview its clause tree and manifest entry, publish it.

Off (every route 404) unless POLICY_QA_ADMIN_TOKEN is set; each API call needs the header
``Authorization: Bearer <token>``. The same planning as ``python -m retrieval add`` (nothing is written
before publish); publishing writes the corpus, updates the index and swaps the running assistant.

    GET  /admin                  the page
    GET  /admin/api/documents    the corpus: id, title, status, clauses
    POST /admin/api/preview      multipart: file (+ title, region, status, issued, doc_number, doc_id, replaces)
    POST /admin/api/publish      {"upload_id": …}
    POST /admin/api/retire       {"doc_id": …, "status": "repealed" | "expired"}
    POST /admin/api/reindex      {"rebuild": false}: bring the index to the corpus on disk (rebuild: from empty)
    GET  /admin/api/feedback     the stored feedback; ?as=eval: as eval cases (evals/README.md)
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import shutil
import threading
import uuid
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Header, HTTPException, Query, UploadFile
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from assistant.feedback import FeedbackStore, StoredFeedback, to_eval_case
from assistant.live import LiveAssistant
from assistant.settings import Settings
from retrieval.errors import RetrievalError
from retrieval.formats import SUPPORTED
from retrieval.ingest import Library, Overrides, Plan
from retrieval.manifest_file import entry_yaml
from retrieval.models import DocStatus

WEB = Path(__file__).resolve().parent / "web"
MAX_UPLOAD = 20 * 1024 * 1024  # bytes


class ClauseRow(BaseModel):
    locator: str
    kind: str
    text: str


class Preview(BaseModel):
    """What publishing would write."""

    upload_id: str
    action: str
    doc_id: str
    title: str | None = None
    raw_name: str | None = None
    clauses: list[ClauseRow] = []
    entry: str | None = Field(default=None, description="the manifest entry, as YAML")
    review: list[str] = Field(default=[], description="fields not found in the text, for a person to fill")
    changes: list[str] = Field(default=[], description="edits of other documents (repealed, superseded)")
    noop: str | None = Field(default=None, description="why nothing would change (the file is already in)")


class Published(BaseModel):
    doc_id: str
    corpus_version: str
    documents: int
    index: str


class PublishRequest(BaseModel):
    upload_id: str = Field(pattern=r"^[0-9a-f]{32}$")


class ReindexRequest(BaseModel):
    rebuild: bool = Field(default=False, description="empty the index first (vectors still come from the cache)")


class RetireRequest(BaseModel):
    doc_id: str
    status: DocStatus


def admin_router(settings: Settings, live: LiveAssistant, store: FeedbackStore) -> APIRouter:
    """The admin routes; without a token they answer 404 as if they did not exist."""
    router = APIRouter(prefix="/admin", include_in_schema=False)
    token = settings.admin_token.get_secret_value() if settings.admin_token else ""
    uploads = settings.data_dir / "uploads"
    lock = threading.Lock()  # one corpus edit at a time in this process

    def enabled() -> None:
        if not token:
            raise HTTPException(status_code=404, detail="Not Found")

    def authorized(authorization: Annotated[str | None, Header()] = None) -> None:
        enabled()
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not given or not secrets.compare_digest(given.encode(), token.encode()):
            raise HTTPException(
                status_code=401,
                detail="需要管理令牌（Authorization: Bearer …）",
                headers={"WWW-Authenticate": "Bearer"},
            )

    @router.get("", response_class=HTMLResponse, dependencies=[Depends(enabled)])
    def page() -> HTMLResponse:
        return HTMLResponse((WEB / "admin.html").read_text(encoding="utf-8"), headers={"Cache-Control": "no-store"})

    @router.get("/api/documents", dependencies=[Depends(authorized)])
    def documents() -> list[dict[str, Any]]:
        corpus = live.assistant.corpus
        return [
            {"id": d.id, "title": d.title, "status": d.meta.status.value, "clauses": len(d.clauses)} for d in corpus
        ]

    @router.post("/api/preview", response_model=Preview, dependencies=[Depends(authorized)])
    def preview(
        file: Annotated[UploadFile, File()],
        title: Annotated[str | None, Form()] = None,
        region: Annotated[str | None, Form()] = None,
        status: Annotated[str | None, Form()] = None,
        issued: Annotated[str | None, Form()] = None,
        doc_number: Annotated[str | None, Form()] = None,
        doc_id: Annotated[str | None, Form()] = None,
        replaces: Annotated[str | None, Form()] = None,
    ) -> Preview:
        suffix = Path(file.filename or "").suffix.lower()
        if suffix not in SUPPORTED:
            raise HTTPException(
                status_code=415, detail=f"不支持的文件格式{suffix or ''}：请上传 {'、'.join(SUPPORTED)}"
            )
        try:
            overrides = Overrides(
                id=doc_id or None,
                title=title or None,
                region=region or None,
                status=DocStatus(status) if status else None,
                issued=dt.date.fromisoformat(issued) if issued else None,
                doc_number=doc_number or None,
            )
        except ValueError as e:
            raise HTTPException(status_code=422, detail=f"填写的内容有误：{e}") from e
        upload_id = uuid.uuid4().hex
        folder = uploads / upload_id
        folder.mkdir(parents=True)
        path = folder / f"upload{suffix}"
        _save(file, path)
        (folder / "request.json").write_text(
            json.dumps({"overrides": overrides.model_dump(mode="json"), "replaces": replaces or None}),
            encoding="utf-8",
        )
        try:
            plan = _plan(Library(settings.corpus_dir), path, overrides, replaces or None)
        except RetrievalError as e:
            shutil.rmtree(folder, ignore_errors=True)
            raise HTTPException(status_code=422, detail=str(e)) from e
        if plan.noop:
            shutil.rmtree(folder, ignore_errors=True)  # nothing to publish
        return _preview(upload_id, plan, Library(settings.corpus_dir))

    @router.post("/api/publish", response_model=Published, dependencies=[Depends(authorized)])
    def publish(req: PublishRequest) -> Published:
        folder = uploads / req.upload_id
        request_file = folder / "request.json"
        if not request_file.exists():
            raise HTTPException(status_code=404, detail="找不到这次上传：请重新上传并预览")
        saved = json.loads(request_file.read_text(encoding="utf-8"))
        path = next(p for p in folder.iterdir() if p.name.startswith("upload"))
        with lock:
            try:
                library = Library(settings.corpus_dir)
                plan = _plan(library, path, Overrides.model_validate(saved["overrides"]), saved["replaces"])
                corpus = library.apply(plan)
                index = _index(settings, corpus)
            except RetrievalError as e:
                raise HTTPException(status_code=422, detail=str(e)) from e
            live.wait()
            live.check(background=False)
        shutil.rmtree(folder, ignore_errors=True)
        return Published(doc_id=plan.doc_id, corpus_version=live.version, documents=len(corpus), index=index)

    @router.post("/api/retire", response_model=Published, dependencies=[Depends(authorized)])
    def retire(req: RetireRequest) -> Published:
        with lock:
            try:
                library = Library(settings.corpus_dir)
                corpus = library.apply(library.plan_retire(req.doc_id, req.status))
                index = _index(settings, corpus)
            except RetrievalError as e:
                raise HTTPException(status_code=422, detail=str(e)) from e
            live.wait()
            live.check(background=False)
        return Published(doc_id=req.doc_id, corpus_version=live.version, documents=len(corpus), index=index)

    @router.post("/api/reindex", response_model=Published, dependencies=[Depends(authorized)])
    def reindex(req: ReindexRequest) -> Published:
        from retrieval.corpus import read_corpus

        with lock:
            try:
                corpus = read_corpus(settings.corpus_dir)
                index = _index(settings, corpus, rebuild=req.rebuild)
            except RetrievalError as e:
                raise HTTPException(status_code=422, detail=str(e)) from e
            live.wait()
            live.check(background=False, force=True)  # a rebuilt collection is a new one: reopen it
        return Published(doc_id="", corpus_version=live.version, documents=len(corpus), index=index)

    @router.get("/api/feedback", dependencies=[Depends(authorized)])
    def feedback(as_: Annotated[str, Query(alias="as", pattern="^(raw|eval)$")] = "raw") -> list[dict[str, Any]]:
        items: list[StoredFeedback] = store.all()
        if as_ == "eval":
            return [to_eval_case(f) for f in items]
        return [f.model_dump(mode="json") for f in items]

    return router


def _save(file: UploadFile, path: Path) -> None:
    size = 0
    with path.open("wb") as out:
        while chunk := file.file.read(1 << 20):
            size += len(chunk)
            if size > MAX_UPLOAD:
                out.close()
                shutil.rmtree(path.parent, ignore_errors=True)
                raise HTTPException(status_code=413, detail=f"文件过大：上限 {MAX_UPLOAD // (1024 * 1024)} MB")
            out.write(chunk)


def _plan(library: Library, path: Path, overrides: Overrides, replaces: str | None) -> Plan:
    if replaces:
        return library.plan_replace(replaces, path, overrides)
    return library.plan_add(path, overrides)


def _preview(upload_id: str, plan: Plan, library: Library) -> Preview:
    doc = plan.document
    return Preview(
        upload_id=upload_id,
        action=plan.action,
        doc_id=plan.doc_id,
        title=doc.title if doc else None,
        raw_name=plan.raw_name,
        clauses=[ClauseRow(locator=c.locator, kind=c.kind.value, text=c.text) for c in doc.clauses] if doc else [],
        entry=entry_yaml(plan.meta) if plan.meta else None,
        review=list(plan.meta.review) if plan.meta else [],
        changes=[c.describe(library.corpus) for c in plan.changes],
        noop=plan.noop,
    )


def _index(settings: Settings, corpus: Any, rebuild: bool = False) -> str:
    from retrieval.service import update_index

    report = update_index(settings, corpus, progress=False, rebuild=rebuild)
    return f"{report.added} added, {report.updated} updated, {report.deleted} deleted, {report.unchanged} unchanged"
