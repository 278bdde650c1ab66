"""The pure parts of qa: the gazetteer, question understanding, and actor items read from corpus/ files
through the real `ingest.parse_file` (no index, no model)."""

from __future__ import annotations

import pytest
from conftest import CORPUS

from ingest import parse_file
from qa.bodies import Body, find
from qa.items import extract
from qa.question import parse, wants_answer

PHU_THO = "2021-09-13-tin-phu-tho-van-ban-4088-day-hoc-an-toan-covid.txt"
CU_CHI = "2023-09-19-ke-hoach-ubnd-cu-chi-nhiem-vu-nam-hoc-2023-2024.txt"
CHI_THI = "2021-chi-thi-ubnd-huyen-nhiem-vu-trong-tam-nam-hoc-2021-2022.txt"
HOI_NGHI = "2020-08-31-tin-hoi-nghi-tong-ket-nam-hoc-2019-2020.txt"


def names(text: str) -> list[str]:
    return [m.body.name for m in find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Phòng GD&ĐT", "Phòng Giáo dục và Đào tạo"),
        ("phòng GDĐT huyện", "Phòng Giáo dục và Đào tạo"),
        ("Phong Giao duc va Dao tao", "Phòng Giáo dục và Đào tạo"),
        ("Sở GD-ĐT Thành phố", "Sở Giáo dục và Đào tạo"),
        ("Sở LĐTB&XH", "Sở Lao động – Thương binh và Xã hội"),
        ("so lao dong thuong binh va xa hoi", "Sở Lao động – Thương binh và Xã hội"),
        ("Phòng TC-KH", "Phòng Tài chính – Kế hoạch"),
        ("Phòng Tài nguyên và Môi trường huyện", "Phòng Tài nguyên và Môi trường"),
        ("cong an huyen", "Công an huyện"),
        ("UBND các xã, thị trấn", "UBND xã"),
        ("Ủy ban nhân dân huyện, thành, thị", "UBND huyện"),
        ("HĐND tỉnh", "HĐND tỉnh"),
        ("Trung tâm Y tế huyện", "Trung tâm Y tế"),
        ("Đài truyền thanh huyện", "Đài truyền thanh huyện"),
        ("Huyện đoàn", "Huyện đoàn"),
        ("hiệu trưởng các trường", "Hiệu trưởng"),
        ("Ban Quản lý dự án đầu tư xây dựng khu vực huyện", "Ban Quản lý dự án đầu tư xây dựng khu vực"),
    ],
)
def test_gazetteer_names_a_body_one_way(text, expected):
    assert names(text) == [expected]


def test_gazetteer_levels():
    (so,) = [m.body for m in find("Sở Y tế")]
    (phong,) = [m.body for m in find("Phòng Y tế")]
    (xa,) = [m.body for m in find("UBND các xã, thị trấn")]
    assert (so.level, phong.level, xa.level) == ("tỉnh", "huyện", "xã")


def test_gazetteer_does_not_see_bodies_in_ordinary_words():
    assert names("các cơ sở giáo dục phòng, chống dịch COVID-19") == ["Cơ sở giáo dục"]
    assert "Sở Giáo dục và Đào tạo" not in names("hệ thống cơ sở giáo dục và đào tạo")
    assert names("Văn bản số 4088/UBND-KGVX ngày 13/9/2021") == []
    assert names("tăng cường cán bộ y tế trường học") == []


def test_a_question_without_level_covers_every_level():
    ubnd = Body("UBND", "", "")
    assert ubnd.covers(Body("UBND", "", "xã")) and ubnd.covers(Body("UBND", "", "huyện"))
    assert not Body("UBND", "", "xã").covers(Body("UBND", "", "huyện"))
    assert not Body("Sở", "Y tế", "tỉnh").covers(Body("Phòng", "Y tế", "huyện"))


@pytest.mark.parametrize(
    ("question", "intent", "bodies"),
    [
        ("nhiệm vụ của Sở Y tế", "tasks", ["Sở Y tế"]),
        ("trach nhiem cong an huyen", "tasks", ["Công an huyện"]),
        ("Phòng GD&ĐT phải báo cáo khi nào", "deadline", ["Phòng Giáo dục và Đào tạo"]),
        (
            "Chủ tịch UBND huyện yêu cầu Phòng Giáo dục và Đào tạo làm gì?",
            "tasks",
            ["Phòng Giáo dục và Đào tạo"],
        ),
        ("Trung tâm Y tế huyện phối hợp với nhà trường làm gì?", "tasks", ["Trung tâm Y tế"]),
        ("Cơ quan nào chịu trách nhiệm an ninh trường học?", "who", []),
        ("học bạ điện tử", "topic", []),
    ],
)
def test_question_intent_and_body(question, intent, bodies):
    q = parse(question)
    assert q.intent == intent
    assert [b.name for b in q.bodies] == bodies


def test_wants_answer_for_tasks_not_for_a_plain_topic():
    assert wants_answer("nhiệm vụ của Sở Y tế") and wants_answer("Sở Y tế")
    assert not wants_answer("học bạ điện tử")


def _items(name: str):
    document, _ = parse_file(CORPUS / name)
    return document, extract(document)


def by(items, body_name: str):
    return [it for it in items if any(a.name == body_name for a in it.actors)]


def test_items_are_verbatim_spans_of_the_canonical_text():
    for path in sorted(CORPUS.glob("*.txt")):
        document, items = _items(path.name)
        assert items, path.name
        for it in items:
            assert document.text[it.start : it.end] == it.text


def test_subject_with_colon_is_the_actor():
    _, items = _items(PHU_THO)
    (so_y_te,) = by(items, "Sở Y tế")
    assert so_y_te.text.startswith("Sở Y tế: Chủ trì") and so_y_te.how == "subject"


def test_subjectless_paragraphs_continue_the_actor_before_them():
    _, items = _items(PHU_THO)
    texts = [it.text for it in by(items, "Sở Giáo dục và Đào tạo")]
    assert any(t.startswith("Phối hợp với Sở Thông tin và Truyền thông") for t in texts)
    # ... but not into the next body's paragraph
    assert not any(t.startswith("Sở Y tế") for t in texts)


def test_numbered_item_and_giao_name_the_actor():
    _, items = _items(CU_CHI)
    (ca,) = by(items, "Công an huyện")
    assert ca.text.startswith("2.2. Công an huyện phối hợp")
    (tnmt,) = by(items, "Phòng Tài nguyên và Môi trường")
    assert tnmt.text.startswith("2.6. Giao Phòng Tài nguyên và Môi trường") and tnmt.how == "assigned"
    assert by(items, "Ban Quản lý dự án đầu tư xây dựng khu vực") == [tnmt]


def test_a_body_heading_gives_its_items_to_that_body():
    _, items = _items(HOI_NGHI)
    phong = by(items, "Phòng Giáo dục và Đào tạo")
    assert any("báo cáo UBND huyện trước ngày 15/9/2020" in it.text and it.deadline for it in phong)
    schools = [it.text for it in by(items, "Nhà trường")]
    assert any(t.startswith("Quản lý tốt cơ sở vật chất trường lớp") for t in schools)
    assert not any("trước ngày 15/9/2020" in t for t in schools)


def test_distribution_list_is_not_tasks():
    document, items = _items(CHI_THI)
    cut = document.text.find("nhận:")
    assert cut > 0 and all(it.end <= cut for it in items)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sở Văn hóa, Thể thao và Du lịch tham gia", ["Sở Văn hóa, Thể thao và Du lịch"]),
        ("Sở Nông nghiệp và Môi trường chủ trì", ["Sở Nông nghiệp và Môi trường"]),
        ("UBND các xã, phường, đặc khu rà soát", ["UBND xã"]),
        ("Ủy ban nhân dân cấp tỉnh chỉ đạo", ["UBND tỉnh"]),
        ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh tuyên truyền", ["Ủy ban MTTQ tỉnh"]),
        ("Ban đại diện cha mẹ học sinh phối hợp", ["Ban đại diện cha mẹ học sinh"]),
        ("Thủ trưởng các đơn vị triển khai", ["Các cơ quan, đơn vị"]),
        ("Cục Nhà giáo và Cán bộ quản lý giáo dục chủ trì", ["Cục Nhà giáo và Cán bộ quản lý giáo dục"]),
        ("Trường THPT Cao Lãnh 2 xây dựng kế hoạch", ["Trường THPT Cao Lãnh 2"]),
        ("Ban Làm phách cử tối thiểu 03 người", ["Ban Làm phách"]),
        ("Phòng Kế hoạch - Tài chính tham mưu", ["Phòng Kế hoạch – Tài chính"]),
        ("Trường học báo cáo về Sở qua phòng nào?", ["Nhà trường"]),
        ("Các trường hợp không được dạy thêm?", []),
        ("bảo đảm an toàn trường học", []),
    ],
)
def test_gazetteer_reads_bodies_as_named_today(text, expected):
    assert names(text) == expected


def test_old_and_new_department_names_stay_apart():
    old, new = (m.body for m in find("Sở Tài nguyên và Môi trường, Sở Nông nghiệp và Môi trường"))
    assert old != new and not old.covers(new) and not new.covers(old)
    lao_dong, noi_vu = (m.body for m in find("Sở Lao động - Thương binh và Xã hội và Sở Nội vụ"))
    assert not lao_dong.covers(noi_vu)


def test_a_question_about_the_school_covers_what_the_directive_calls_it():
    (school,) = parse("Nhà trường phải làm gì?").bodies
    assert all(school.covers(m.body) for m in find("Cơ sở giáo dục, Trường THPT Phước Bửu, Hiệu trưởng"))


def test_a_body_named_as_a_complement_is_not_the_one_asked():
    assert parse("Thông tư quy tắc ứng xử của nhà giáo có hiệu lực từ ngày nào?").bodies == []
    assert [b.name for b in parse("Sở GDĐT có trách nhiệm gì trong việc chỉ đạo các trường?").bodies] == [
        "Sở Giáo dục và Đào tạo"
    ]


LETTER = """SỞ GIÁO DỤC VÀ ĐÀO TẠO
Số: 12/SGDĐT-HSSV
Kính gửi:
- Hiệu trưởng các trường phổ thông;
- Thủ trưởng các đơn vị trực thuộc Sở.

Sở Giáo dục và Đào tạo đề nghị Thủ trưởng các cơ sở giáo dục thực hiện các nội dung sau:

1. Tổ chức tuyên truyền phòng, chống ma túy cho học sinh.

2. Lựa chọn khẩu hiệu tuyên truyền tại đơn vị

- Nói không với ma túy.

3. Thực hiện báo cáo về Sở (qua Phòng Học sinh, sinh viên) khi có yêu cầu.

Điều 12. Trách nhiệm của Ủy ban nhân dân xã, phường, đặc khu

Trong thời hạn 03 ngày làm việc kể từ ngày nhận hồ sơ, Hiệu trưởng cơ sở giáo dục lập danh sách học sinh.

Nơi nhận:
- Như trên;
- Lưu: VT.
"""


def test_items_read_from_the_blocks_of_a_letter():
    from ingest.normalize import canonical
    from tracuu.types import Document

    items = extract(Document("letter.txt", "", canonical(LETTER), {}))
    texts = {it.text: it for it in items}
    assert not any("Hiệu trưởng các trường phổ thông;" in t for t in texts)  # "Kính gửi" is no task
    schools = [t for t, it in texts.items() if any(a.name == "Cơ sở giáo dục" for a in it.actors)]
    assert any(t.startswith("1. Tổ chức tuyên truyền") for t in schools)
    assert any(t.startswith("3. Thực hiện báo cáo về Sở") for t in schools)  # after a heading item "2."
    (fronted,) = [it for t, it in texts.items() if t.startswith("Trong thời hạn 03 ngày")]
    assert [a.name for a in fronted.actors] == ["Hiệu trưởng"]
