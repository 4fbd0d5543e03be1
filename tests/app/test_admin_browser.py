"""The admin page in a real browser: token, upload, clause tree preview, publish."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.conftest import serve
from tests.app.test_admin import FIXTURES, TOKEN, build_admin_app
from tests.app.test_browser import ARTIFACTS, _local_only, browser  # noqa: F401  (the browser fixture)

pytestmark = pytest.mark.browser


def test_upload_preview_publish_in_the_browser(browser, settings, assistant, tmp_path):  # noqa: F811
    s, app = build_admin_app(settings, tmp_path)
    with serve(app) as url:
        page = browser.new_page(viewport={"width": 1100, "height": 1200})
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(url + "/admin", wait_until="load")
        page.get_by_label("管理令牌").fill(TOKEN)
        page.get_by_label("文件").set_input_files(str(FIXTURES / "notice_page.html"))
        page.locator("#upload").get_by_label("文档 ID", exact=True).fill("test-rent-2025")
        page.get_by_role("button", name="预览").click()
        page.get_by_text("新增《北京市测试区科技企业房租补贴办法》").wait_for(timeout=30000)
        rows = page.locator("#tree tbody tr td.loc").all_inner_texts()
        assert rows == ["印发通知", "第一条", "第二条", "第三条", "第四条"]
        assert "doc_number: 京测科发〔2025〕12号" in page.locator("#entry").inner_text()
        assert "test-rent-2025" not in (s.corpus_dir / "manifest.yaml").read_text(encoding="utf-8")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "admin-preview.png"), full_page=True)
        page.get_by_role("button", name="发布").click()
        page.get_by_text("已发布 test-rent-2025").wait_for(timeout=60000)
        assert "test-rent-2025" in (s.corpus_dir / "manifest.yaml").read_text(encoding="utf-8")
        assert _local_only(requests) == []
        page.close()
    assert isinstance(Path(url), Path)
