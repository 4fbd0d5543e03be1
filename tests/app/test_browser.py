"""The chat page and the embedded widget in a real browser (Debian's chromium via Playwright).

Every request the browser makes is recorded: none may leave localhost. Screenshots are saved in
artifacts/ as test artifacts.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
QUESTION = "我们在西城，委托机构做专利导航花了80万，能补多少？"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run installs Debian's chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield b
        b.close()


def _local_only(requests: list[str]) -> list[str]:
    bad = []
    for url in requests:
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob", "about", "chrome-extension"):
            continue
        if parsed.hostname not in ("127.0.0.1", "localhost"):
            bad.append(url)
    return bad


def test_chat_page_amount_and_citation_card(browser, live_server):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1200, "height": 1000})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(live_server + "/", wait_until="load")
    box = page.get_by_placeholder("例如：我们在西城做专利导航花了80万，能补多少？")
    box.fill(QUESTION)
    page.get_by_role("button", name="发送").click()
    page.get_by_text("24万元").first.wait_for(timeout=60000)
    card = page.locator(".pqa-cite").first
    card.wait_for(timeout=30000)
    assert "第五条（二）" in card.inner_text() and "征求意见稿" in card.inner_text()
    assert "80万 × 30% = 24万" in page.locator(".pqa-calc").inner_text()
    page.screenshot(path=str(ARTIFACTS / "chat-page.png"), full_page=True)
    assert _local_only(requests) == []
    page.close()


def test_user_text_is_escaped(browser, live_server):
    page = browser.new_page()
    page.goto(live_server + "/", wait_until="load")
    alerts: list[str] = []
    page.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
    page.get_by_placeholder("例如：我们在西城做专利导航花了80万，能补多少？").fill(
        '<img src=x onerror="alert(1)">西城补贴？'
    )
    page.get_by_role("button", name="发送").click()
    page.wait_for_timeout(4000)
    assert alerts == []
    page.close()


def test_widget_on_a_host_page(browser, live_server, host_page):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(host_page, wait_until="load")
    launcher = page.get_by_role("button", name="政策助手")
    launcher.click()
    dialog = page.get_by_role("dialog", name="政策助手")
    dialog.wait_for(state="visible")
    frame = page.frame_locator("iframe.pqa-frame")
    frame.locator("body[data-ready=true]").wait_for(timeout=30000)
    frame.locator("#q").fill("专利导航花了80万，能补多少？")
    frame.locator("#send").click()
    answered = frame.locator(".msg.bot:not(.pending)").first
    answered.wait_for(timeout=90000)
    log_html = frame.locator("#log").inner_html()
    (ARTIFACTS / "widget-log.html").write_text(log_html, encoding="utf-8")
    assert "24万元" in log_html, log_html[:2000]
    cite = frame.locator("details.cite summary").first
    assert "第五条（二）" in cite.inner_text() and "征求意见稿" in cite.inner_text()
    assert "征求意见稿" in frame.locator(".warn").first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "widget-open.png"))
    # Escape closes the dialog (from inside the chat frame) and gives focus back to the launcher.
    frame.locator("#q").press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.textContent") == "政策助手"
    # The conversation is kept while the page stays open.
    launcher.click()
    assert frame.get_by_text("24万元").first.is_visible()
    assert _local_only(requests) == []
    page.close()


def test_widget_on_a_phone(browser, live_server, host_page):
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    page.goto(host_page, wait_until="load")
    page.get_by_role("button", name="政策助手").click()
    box = page.locator(".pqa-panel").bounding_box()
    assert box is not None and box["width"] >= 380
    page.screenshot(path=str(ARTIFACTS / "widget-phone.png"))
    page.close()


def test_chat_page_on_a_phone(browser, live_server):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    page.goto(live_server + "/", wait_until="load")
    page.get_by_placeholder("例如：我们在西城做专利导航花了80万，能补多少？").wait_for()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px on a phone"
    page.screenshot(path=str(ARTIFACTS / "chat-page-phone.png"), full_page=True)
    page.close()


# Recorded in every frame: where focus is when the chat reports data-ready, and each time its input loses focus.
_FOCUS_PROBE = """(() => {
  window.__pqa = { readyFocus: null, blurs: 0 };
  document.addEventListener("focusout", (e) => { if (e.target.id === "q") window.__pqa.blurs += 1; }, true);
  new MutationObserver(() => {
    if (document.body && document.body.dataset.ready === "true" && window.__pqa.readyFocus === null) {
      const active = document.activeElement;
      window.__pqa.readyFocus = active ? active.id || active.tagName : "";
    }
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ["data-ready"] });
})()"""


def test_widget_first_question_typed_at_once_is_never_lost(browser, live_server, host_page):
    """Typed the moment the chat reports data-ready, without clicking the input first: each question is sent.

    The cause of lost first questions was the host page handing focus to the frame after the frame had
    said it was ready: focusing the iframe element blurred the input and dropped what was being typed.
    """
    for attempt in range(10):
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.add_init_script(_FOCUS_PROBE)
        posted: list[str] = []
        page.on("request", lambda r, posted=posted: posted.append(r.url) if "/api/chat" in r.url else None)
        page.goto(host_page, wait_until="load")
        page.get_by_role("button", name="政策助手").click()
        frame = page.frame_locator("iframe.pqa-frame")
        frame.locator("body[data-ready=true]").wait_for(timeout=60000)
        page.keyboard.type("专利导航花了80万，能补多少？", delay=15)
        probe = frame.locator("body").evaluate("() => window.__pqa")  # before #send takes the focus
        typed = frame.locator("#q").input_value()
        if attempt % 2:
            frame.locator("#send").click()
        else:
            page.keyboard.press("Enter")
        frame.locator(".msg.bot:not(.pending)").first.wait_for(timeout=90000)
        answer = frame.locator(".msg.bot").first.inner_text()
        assert (attempt, probe, typed) == (attempt, {"readyFocus": "q", "blurs": 0}, "专利导航花了80万，能补多少？")
        assert len(posted) == 1, attempt
        assert "24万元" in answer, (attempt, answer[:300])
        page.close()


MARKUP = (
    '![t](http://203.0.113.9/t.png) [点我](javascript:alert(1)) <img src=x onerror="alert(2)"> '
    '<script>alert(3)</script> <a href="http://203.0.113.9/">链接</a> http://203.0.113.9/x '
    "**粗体** 西城专利导航补贴？"
)


def test_markup_in_a_question_is_shown_as_typed_and_does_nothing(browser, live_server):
    """HTML, Markdown images and links in a question: shown as text, nothing loaded, nothing run, no link."""
    page = browser.new_page(viewport={"width": 1200, "height": 1000})
    requests: list[str] = []
    alerts: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
    page.goto(live_server + "/", wait_until="load")
    page.get_by_placeholder("例如：我们在西城做专利导航花了80万，能补多少？").fill(MARKUP)
    page.get_by_role("button", name="发送").click()
    page.locator(".pqa-cite").first.wait_for(timeout=90000)
    bubble = page.locator("[data-testid='user']").last
    assert bubble.inner_text().strip() == MARKUP
    assert bubble.locator("img, a, script, iframe").count() == 0
    assert (alerts, _local_only(requests)) == ([], [])
    page.close()
