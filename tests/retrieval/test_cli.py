import json

from retrieval.__main__ import main


def test_documents_json(capsys):
    assert main(["documents", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 30
    assert {"id", "title", "region", "status", "clauses"} <= set(rows[0])


def test_show_prints_citation_line(capsys):
    assert main(["show", "xicheng-sci-tech-draft", "第五条（二）"]) == 0
    out = capsys.readouterr().out
    assert "《北京市西城区促进科技创新及中关村科技园区西城园高质量发展若干措施》第五条（二）" in out
    assert "按照合同额的30%给予后补贴" in out


def test_show_unknown_document_says_what_to_do(capsys):
    assert main(["show", "no-such-doc"]) == 2
    assert "python -m retrieval documents" in capsys.readouterr().err


def test_add_dry_run_then_publish_then_retire(tmp_path, monkeypatch, capsys):
    import shutil
    from pathlib import Path

    from retrieval.corpus import DEFAULT_CORPUS_DIR

    corpus_dir = tmp_path / "corpus"
    shutil.copytree(DEFAULT_CORPUS_DIR, corpus_dir)
    monkeypatch.setenv("POLICY_QA_CORPUS_DIR", str(corpus_dir))
    monkeypatch.setenv("POLICY_QA_DATA_DIR", str(tmp_path / "data"))
    policy = Path(__file__).parent / "fixtures" / "notice_page.html"
    manifest = (corpus_dir / "manifest.yaml").read_bytes()
    assert main(["add", str(policy), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "add: 《北京市测试区科技企业房租补贴办法》 as bj-2025-eff7bb" in out
    assert "dry run: nothing was written" in out
    assert (corpus_dir / "manifest.yaml").read_bytes() == manifest
    assert main(["add", str(policy), "--no-index"]) == 0
    assert "written: corpus/raw/005_eff7bb0be32064a6.html, corpus/manifest.yaml" in capsys.readouterr().out
    assert main(["add", str(policy), "--no-index"]) == 0
    assert capsys.readouterr().out.strip() == "nothing to do: this file is already in the corpus as bj-2025-eff7bb"
    assert main(["retire", "bj-2025-eff7bb", "--status", "repealed", "--no-index"]) == 0
    assert "bj-2025-eff7bb: status in_force → repealed" in capsys.readouterr().out
    assert main(["check-manifest"]) == 0
    assert main(["add", str(tmp_path / "missing.pdf")]) == 2
    assert "missing.pdf: no such file" in capsys.readouterr().err
