"""The LLM mode: an OpenAI-compatible model phrases the answer through LangChain tool calls.

The only module that imports openai/LangChain chat classes. The model gets two tools —
clause search and the deterministic calculator — and its reply passes the same number and
citation guards as the extractive answer; a reply that fails them is replaced by the
extractive answer, so a model can never put an ungrounded number in front of a user.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from langchain.agents import create_agent
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from langchain_core.tools import BaseTool, tool

from assistant import guards
from assistant.chat import Assistant
from assistant.errors import ConfigError, LLMError
from assistant.models import Answer, Calculation, Citation, Message
from assistant.settings import Settings
from assistant.validity import standing
from prompts import render
from retrieval.models import Clause

log = logging.getLogger(__name__)
_REF = re.compile(r"\[C(\d+)\]")


def chat_model(settings: Settings) -> BaseChatModel:
    """ChatOpenAI for the configured endpoint (OPENAI_API_KEY, OPENAI_BASE_URL, POLICY_QA_MODEL)."""
    if not settings.openai_api_key:
        raise ConfigError("LLM 模式需要设置 OPENAI_API_KEY（以及可选的 OPENAI_BASE_URL、POLICY_QA_MODEL）")
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=settings.model,
        api_key=settings.openai_api_key,
        base_url=settings.openai_base_url,
        timeout=settings.llm_timeout_s,
        max_retries=1,
        temperature=0,
    )


class _Registry:
    """Clauses and calculations the model has seen in this turn, by reference number."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self.calculation: Calculation | None = None

    def ref(self, citation: Citation) -> str:
        for i, c in enumerate(self.citations, 1):
            if c.clause_id == citation.clause_id:
                return f"C{i}"
        self.citations.append(citation)
        return f"C{len(self.citations)}"


class LLMAnswerer:
    """Answers with a chat model; falls back to the extractive answer when guards fail."""

    def __init__(self, assistant: Assistant, model: BaseChatModel) -> None:
        self.assistant = assistant
        self.model = model

    def _tools(self, registry: _Registry, history: list[Message]) -> list[BaseTool]:
        assistant = self.assistant

        @tool
        def search_clauses(query: str) -> str:
            """Search the policy corpus for clauses relevant to a query.

            Args:
                query: what to look for, in Chinese, e.g. "西城 专利导航 补贴".
            """
            hits = assistant.searcher.search(query, 5)
            out = []
            for h in hits:
                citation = assistant.cite(h.clause)
                out.append(
                    {
                        "ref": registry.ref(citation),
                        "document": h.doc_title,
                        "locator": h.clause.locator,
                        "status": citation.status_label,
                        "text": h.clause.text,
                    }
                )
            return json.dumps(out, ensure_ascii=False)

        @tool
        def compute_amount(question: str) -> str:
            """Compute a subsidy amount with the deterministic calculator from the user's facts.

            Args:
                question: the user's question restating all facts they gave (amounts, areas, headcount).
            """
            answer = assistant.answer(question, history)
            for c in answer.citations:
                registry.ref(c)
            if answer.calculation:
                registry.calculation = answer.calculation
                return answer.calculation.model_dump_json()
            return json.dumps({"follow_up": answer.follow_up, "note": "无法计算"}, ensure_ascii=False)

        return [search_clauses, compute_amount]

    def answer(self, message: str, history: list[Message] | None = None, region: str | None = None) -> Answer:
        history = history or []
        base = self.assistant.answer(message, history, region=region)
        if base.refused:
            return base
        registry = _Registry()
        for c in base.citations:
            registry.ref(c)
        registry.calculation = base.calculation
        context = render(
            "context",
            clauses="\n\n".join(
                f"[C{i}] 《{c.doc_title}》{c.locator}（{c.status_label}）\n{c.quote}"
                for i, c in enumerate(registry.citations, 1)
            ),
            calculation=(
                "计算结果（金额只能用这个）：" + base.calculation.model_dump_json()
                if base.calculation
                else (f"还需要向用户确认：{base.follow_up}" if base.follow_up else "")
            ),
        )
        agent = create_agent(
            self.model,
            tools=self._tools(registry, history),
            system_prompt=render("system", today=self.assistant.today.isoformat()),
        )
        messages: list[Any] = [SystemMessage(content=context)]
        for m in history:
            messages.append(HumanMessage(content=m.content) if m.role == "user" else AIMessage(content=m.content))
        messages.append(HumanMessage(content=message))
        try:
            result = agent.invoke({"messages": messages})
        except Exception as e:  # network errors, bad responses: the extractive answer stands
            log.warning("LLM call failed, using the extractive answer: %s", e)
            return base
        final = result["messages"][-1]
        text = final.content if isinstance(final.content, str) else str(final.content)
        answer = self._finish(text, registry, base)
        report = guards.check(  # the model's numbers must match the calculator's
            answer,
            [*(m.content for m in history if m.role == "user"), message],
            self.assistant.corpus,
            self.assistant.today,
            self.assistant.rulebook,
        )
        if not report.ok:
            log.warning("LLM reply rejected by guards: %s", report)
            return base
        return answer

    def _finish(self, text: str, registry: _Registry, base: Answer) -> Answer:
        cited_idx = sorted({int(n) for n in _REF.findall(text)})
        cited = [registry.citations[i - 1] for i in cited_idx if 0 < i <= len(registry.citations)]
        citations = cited or base.citations

        def label(m: re.Match[str]) -> str:
            i = int(m.group(1))
            if 0 < i <= len(registry.citations):
                c = registry.citations[i - 1]
                return f"（《{c.doc_title}》{c.locator}）"
            return ""

        body = _REF.sub(label, text).strip()
        clauses: list[Clause] = [self.assistant.corpus.clause(c.clause_id) for c in citations]
        for w in self.assistant.warnings(clauses):
            short = standing(self.assistant.corpus.document(clauses[0].doc_id).meta, self.assistant.today).label
            if w not in body and short not in body:
                body += f"\n\n⚠️ {w}"
        if not body:
            raise LLMError("模型没有返回内容")
        return Answer(
            text=body,
            citations=citations,
            calculation=registry.calculation or base.calculation,
            refused=False,
            follow_up=base.follow_up,
            mode="llm",
        )
