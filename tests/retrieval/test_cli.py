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
