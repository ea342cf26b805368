"""A deterministic Vietnamese corpus in this project's formats, and the same corpus for the peers.

One call writes three sites that hold the same content:

* ``cchc/``   this project: news as Markdown with the front matter of
  ``cchc.news.model.NewsFrontMatter`` in ``content/tin-tuc/``, one YAML file per
  procedure in ``procedures/`` (``cchc.procedures.model.Procedure``), plans in
  ``plans/`` (shared/domain.md §6b), the sample site's configuration and pages;
* ``mkdocs/`` the MkDocs peer: Material + its blog plugin (the news as blog posts)
  + mkdocs-rss-plugin + search, the procedures as Markdown pages outside the
  navigation, ``navigation.prune`` (shared/anchors.md §1.1, §3.9);
* ``hugo/``   the speed reference: Hugo with minimal templates, the same Markdown.

Sizes: small = 500 news + 100 procedures + 1 plan; large = 5,000 news + 1,000
procedures + 3 plans. Every item is drawn from its own ``random.Random`` seeded by
(seed, kind, index), so the output is the same byte for byte on every machine, and
the small corpus is the first items of the large one.

The text is assembled from sentence patterns written for this benchmark in the
register of a health unit's CCHC section (one-stop desk, health insurance, digital
records, plans and inspections), with names, places, dates, decision numbers and
procedure codes filled in, so that vocabulary, word lengths and Markdown structure
(headings, lists, tables, links) look like real content rather than lorem ipsum.
News run 300–850 words, procedures 1,450–2,000 words (as in anchors §3.9).
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SIZES = {
    "small": {"news": 500, "procedures": 100, "plans": 1},
    "large": {"news": 5000, "procedures": 1000, "plans": 3},
}
SEED = 2026
# Every build of the benchmark pins "now" here (CCHC_NOW), so visibility is stable.
NOW = "2026-06-30 12:00"
NEWS_DIR = "tin-tuc"
# The news item and procedure the warm rebuild changes (same index in both sizes).
CHANGED_NEWS_INDEX = 7
CHANGED_PROCEDURE_INDEX = 3

# --- vocabulary ---------------------------------------------------------------
SURNAMES = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trịnh Mai Lương".split()
MIDDLE = "Văn Thị Hữu Đức Minh Ngọc Thanh Quốc Xuân Thu Kim Bảo Hoài Gia".split()
GIVEN = ("An Bình Chi Dũng Giang Hà Hải Hằng Hiếu Hoa Hùng Hương Khánh Lan Linh Long Mai Minh Nam Nga "
         "Ngân Nhung Phong Phúc Phương Quân Quang Sơn Tâm Thảo Thắng Thủy Trang Trung Tuấn Vân Yến").split()
PLACES = ["An Hải", "Sơn Trà", "Ngũ Hành Sơn", "Hòa Vang", "Thanh Khê", "Liên Chiểu", "Cẩm Lệ", "Hải Châu",
          "Hòa Khánh", "Hòa Xuân", "Mân Thái", "Thọ Quang", "Nại Hiên Đông", "Phước Mỹ", "Khuê Mỹ"]
DEPARTMENTS = ["Phòng Tổ chức – Hành chính", "Phòng Kế hoạch – Nghiệp vụ", "Phòng Tài chính – Kế toán",
               "Khoa Kiểm soát bệnh tật", "Khoa Khám bệnh", "Khoa Dược – Vật tư", "Khoa Xét nghiệm",
               "Khoa Y tế công cộng – Dinh dưỡng", "Khoa Chăm sóc sức khỏe sinh sản", "Trạm Y tế phường An Hải"]
CATEGORIES = ["cai-cach-the-che", "cai-cach-thu-tuc-hanh-chinh", "cai-cach-to-chuc-bo-may",
              "cai-cach-che-do-cong-vu", "cai-cach-tai-chinh-cong", "chinh-phu-dien-tu-chinh-phu-so",
              "tin-hoat-dong", "van-ban-chi-dao", "hoi-dap"]
CATEGORY_LABELS = {
    "cai-cach-the-che": "Cải cách thể chế",
    "cai-cach-thu-tuc-hanh-chinh": "Cải cách thủ tục hành chính",
    "cai-cach-to-chuc-bo-may": "Cải cách tổ chức bộ máy",
    "cai-cach-che-do-cong-vu": "Cải cách chế độ công vụ",
    "cai-cach-tai-chinh-cong": "Cải cách tài chính công",
    "chinh-phu-dien-tu-chinh-phu-so": "Xây dựng Chính phủ điện tử, Chính phủ số",
    "tin-hoat-dong": "Tin hoạt động CCHC",
    "van-ban-chi-dao": "Văn bản chỉ đạo, điều hành",
    "hoi-dap": "Hỏi đáp",
}
TAGS = ["một cửa", "dịch vụ công trực tuyến", "BHYT", "bệnh án điện tử", "chuyển đổi số", "khảo sát hài lòng",
        "niêm yết TTHC", "thanh toán không dùng tiền mặt", "căn cước", "VNeID", "quy tắc ứng xử", "tiêm chủng",
        "giấy chứng sinh", "giấy báo tử", "khám sức khỏe", "phản ánh kiến nghị", "tự chủ tài chính", "ISO 9001"]
KINDS = ["tin"] * 6 + ["bai"] * 2 + ["thong_bao", "van_ban", "anh"]
TOPICS = [
    "triển khai kế hoạch cải cách hành chính", "kiểm tra công tác cải cách hành chính",
    "khảo sát sự hài lòng của người bệnh", "tập huấn quy tắc ứng xử", "thanh toán viện phí không dùng tiền mặt",
    "đăng ký khám bệnh trực tuyến", "bệnh án điện tử", "niêm yết thủ tục hành chính",
    "tiếp nhận hồ sơ theo cơ chế một cửa", "cấp giấy chứng sinh điện tử", "tích hợp thẻ bảo hiểm y tế trên VNeID",
    "sơ kết công tác cải cách hành chính quý", "tuyên truyền dịch vụ công trực tuyến",
    "sắp xếp tổ chức bộ máy", "đánh giá, xếp loại viên chức", "tự chủ tài chính đơn vị sự nghiệp",
    "số hóa hồ sơ, kết quả giải quyết thủ tục", "ứng dụng chữ ký số", "khám sức khỏe lái xe",
    "phòng, chống dịch sốt xuất huyết",
]
TITLE_PATTERNS = [
    "Trung tâm {verb} {topic} năm {year}",
    "{Dept} {verb} {topic}",
    "Kết quả {topic} {period}",
    "Đẩy mạnh {topic} tại {place}",
    "Hội nghị {topic} năm {year}",
    "Thông báo về {topic}",
    "Hướng dẫn người dân về {topic}",
    "Nâng cao hiệu quả {topic}",
]
VERBS = ["triển khai", "tổ chức", "sơ kết", "tổng kết", "đẩy mạnh", "hướng dẫn", "kiểm tra", "đánh giá"]

NEWS_SENTENCES = [
    "Sáng ngày {date}, {unit} tổ chức hội nghị {topic} với sự tham dự của đại diện lãnh đạo Sở Y tế và các khoa, phòng.",
    "Phát biểu tại hội nghị, {title} {person} nhấn mạnh cải cách hành chính là nhiệm vụ trọng tâm, xuyên suốt của đơn vị.",
    "Trong {period}, Bộ phận tiếp nhận và trả kết quả đã tiếp nhận {n} hồ sơ, giải quyết đúng hạn {pct}%.",
    "Tỷ lệ người bệnh hài lòng với thái độ phục vụ của nhân viên y tế đạt {pct}%, tăng so với cùng kỳ năm trước.",
    "Đơn vị đã niêm yết công khai {small} thủ tục hành chính tại nơi tiếp nhận hồ sơ và trên trang thông tin điện tử.",
    "Người dân có thể phản ánh, kiến nghị về quy định hành chính qua đường dây nóng hoặc hòm thư góp ý đặt tại khu đón tiếp.",
    "{Dept} chủ trì, phối hợp với các khoa, phòng xây dựng kế hoạch và phân công nhiệm vụ cụ thể cho từng cá nhân.",
    "Từ {date}, người tham gia bảo hiểm y tế khi đi khám chỉ cần xuất trình căn cước có gắn chíp hoặc tài khoản định danh điện tử.",
    "Việc thanh toán viện phí không dùng tiền mặt giúp người bệnh tiết kiệm thời gian chờ đợi tại quầy thu ngân.",
    "Hệ thống bệnh án điện tử đã được triển khai tại {small} khoa lâm sàng, kết nối với phần mềm quản lý bệnh viện.",
    "Đoàn kiểm tra ghi nhận đơn vị đã thực hiện tốt việc công khai, minh bạch thông tin và tiếp nhận hồ sơ trực tuyến.",
    "Bên cạnh kết quả đạt được, hội nghị cũng chỉ ra một số tồn tại như hạ tầng công nghệ thông tin chưa đồng bộ.",
    "Cán bộ, viên chức được tập huấn về quy tắc ứng xử, kỹ năng giao tiếp và nâng cao chất lượng phục vụ người bệnh.",
    "Trạm y tế phường {place} phối hợp với trường học tổ chức tiêm chủng mở rộng cho trẻ em dưới 5 tuổi.",
    "Kế hoạch số {docno} đề ra chỉ tiêu đăng tải tối thiểu hai tin, bài về cải cách hành chính mỗi tháng.",
    "Tin, bài của đơn vị được gửi về Cổng thông tin cải cách hành chính thành phố để tổng hợp và đăng tải.",
    "Dịch vụ công trực tuyến toàn trình giúp người dân nộp hồ sơ mọi lúc, mọi nơi mà không phải đến trực tiếp.",
    "Giấy chứng sinh được cấp bản điện tử có ký số và liên thông với thủ tục đăng ký khai sinh tại Ủy ban nhân dân phường.",
    "Đơn vị thực hiện nghiêm kỷ luật, kỷ cương hành chính, không để xảy ra tình trạng nhũng nhiễu, gây phiền hà cho người dân.",
    "Trong thời gian tới, {unit} tiếp tục rà soát, đơn giản hóa thủ tục và số hóa hồ sơ, kết quả giải quyết.",
    "Theo {title} {person}, mục tiêu năm {year} là {pct}% hồ sơ được tiếp nhận và trả kết quả qua mạng.",
    "Người bệnh {person}, ở phường {place}, cho biết thủ tục nhập viện nay nhanh hơn, chỉ mất khoảng {small} phút.",
    "Các khoa, phòng được yêu cầu báo cáo kết quả thực hiện trước ngày {date} để tổng hợp gửi Sở Y tế.",
    "Hội nghị đã khen thưởng {small} tập thể và {n2} cá nhân có thành tích xuất sắc trong công tác cải cách hành chính.",
    "Quy trình tiếp nhận, giải quyết hồ sơ được chuẩn hóa theo tiêu chuẩn ISO 9001:2015 và công khai tại khu đón tiếp.",
    "Chi phí vận hành giảm khoảng {pct}% nhờ sử dụng văn bản điện tử và chữ ký số thay cho văn bản giấy.",
]
HEADINGS = ["Kết quả nổi bật", "Những tồn tại, hạn chế", "Nhiệm vụ thời gian tới", "Ý kiến của người dân",
            "Nội dung triển khai", "Thông tin liên hệ", "Các bước thực hiện", "Tổ chức thực hiện"]
LIST_ITEMS = [
    "Rà soát, niêm yết đầy đủ thủ tục hành chính tại Bộ phận tiếp nhận và trả kết quả",
    "Cập nhật thông tin lên trang thông tin điện tử của đơn vị trong vòng 02 ngày làm việc",
    "Tổ chức khảo sát sự hài lòng của người bệnh hằng quý",
    "Đẩy mạnh thanh toán không dùng tiền mặt tại tất cả các quầy thu",
    "Bố trí cán bộ hướng dẫn người dân sử dụng dịch vụ công trực tuyến",
    "Báo cáo kết quả thực hiện về Phòng Tổ chức – Hành chính trước ngày 15 hằng tháng",
    "Tiếp nhận và xử lý kịp thời phản ánh, kiến nghị của người dân",
    "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực",
]

PROC_ACTIONS = ["Cấp", "Cấp lại", "Điều chỉnh", "Gia hạn", "Xác nhận", "Công bố", "Đăng ký", "Thẩm định", "Cấp đổi"]
PROC_OBJECTS = [
    "giấy chứng sinh", "giấy chứng sinh đối với trường hợp trẻ được sinh ra do thực hiện kỹ thuật mang thai hộ",
    "giấy báo tử", "giấy chứng nhận nghỉ việc hưởng bảo hiểm xã hội", "giấy khám sức khỏe cho người lái xe",
    "giấy khám sức khỏe cho người từ đủ 18 tuổi trở lên", "giấy chứng nhận đủ điều kiện an toàn thực phẩm",
    "giấy phép hành nghề khám bệnh, chữa bệnh", "chứng chỉ hành nghề dược", "giấy chứng nhận tiêm chủng",
    "xác nhận nội dung quảng cáo dịch vụ khám bệnh, chữa bệnh", "giấy phép hoạt động cơ sở khám bệnh, chữa bệnh",
    "giấy chuyển tuyến khám bệnh, chữa bệnh bảo hiểm y tế", "bản tóm tắt hồ sơ bệnh án",
    "giấy chứng nhận bị thương tích do tai nạn lao động", "giấy ra viện",
]
FIELDS = [("Khám bệnh, chữa bệnh", "G18-YT07"), ("Dân số – Sức khỏe sinh sản", "G18-YT05"),
          ("Y tế dự phòng", "G18-YT02"), ("Dược phẩm", "G18-YT09"), ("An toàn thực phẩm", "G18-YT11"),
          ("Bảo hiểm y tế", "G18-YT13"), ("Giám định y khoa", "G18-YT15")]
PROC_SENTENCES = [
    "Người đề nghị nộp hồ sơ tại Bộ phận tiếp nhận và trả kết quả của {unit} trong giờ hành chính.",
    "Cán bộ tiếp nhận kiểm tra tính đầy đủ, hợp lệ của hồ sơ; trường hợp hồ sơ chưa đầy đủ thì hướng dẫn bổ sung một lần bằng văn bản.",
    "Trong thời hạn {small} ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ, cơ sở khám bệnh, chữa bệnh có trách nhiệm trả kết quả.",
    "Trường hợp từ chối giải quyết phải trả lời bằng văn bản và nêu rõ lý do.",
    "Người nhận kết quả xuất trình căn cước hoặc giấy tờ tùy thân có ảnh còn thời hạn sử dụng.",
    "Hồ sơ nộp trực tuyến qua Cổng Dịch vụ công quốc gia được xử lý như hồ sơ nộp trực tiếp.",
    "Kết quả giải quyết được trả trực tiếp tại nơi nộp hồ sơ, qua dịch vụ bưu chính công ích hoặc bản điện tử có ký số.",
    "Thông tin cá nhân của người đề nghị được bảo mật theo quy định của pháp luật về bảo vệ dữ liệu cá nhân.",
    "Bản sao giấy tờ phải được chứng thực hoặc xuất trình bản chính để đối chiếu.",
    "Trường hợp ủy quyền, người được ủy quyền phải có văn bản ủy quyền theo quy định của pháp luật.",
    "Cơ sở có trách nhiệm lưu trữ hồ sơ theo quy định về lưu trữ hồ sơ bệnh án.",
    "Phí, lệ phí được nộp trực tiếp hoặc qua các kênh thanh toán điện tử được tích hợp trên Cổng Dịch vụ công.",
    "Người đề nghị có thể tra cứu tình trạng hồ sơ bằng mã hồ sơ trên Cổng Dịch vụ công quốc gia.",
    "Mọi thắc mắc về thủ tục, người dân liên hệ số điện thoại của Bộ phận tiếp nhận để được hướng dẫn.",
    "Thành phần hồ sơ được quy định tại {docno} của {agency}.",
    "Việc cấp lại chỉ thực hiện khi bản chính bị mất, hư hỏng hoặc có sai sót về thông tin.",
]
PAPERS = [
    "Đơn đề nghị theo mẫu", "Bản sao căn cước hoặc hộ chiếu còn thời hạn", "Giấy tờ chứng minh nhân thân của người đề nghị",
    "Bản chính giấy chứng sinh đã cấp (đối với trường hợp cấp lại)", "Văn bản ủy quyền (nếu có)",
    "Giấy xác nhận của cơ sở khám bệnh, chữa bệnh", "Ảnh chân dung cỡ 04 cm x 06 cm, chụp trong vòng 06 tháng",
    "Bản sao hồ sơ bệnh án hoặc giấy ra viện", "Tờ khai theo mẫu tại Phụ lục kèm theo",
    "Bản sao văn bằng chuyên môn", "Phiếu kết quả xét nghiệm trong vòng 03 tháng",
]
AGENCIES = ["Bộ Y tế", "Sở Y tế thành phố Đà Nẵng", "Ủy ban nhân dân thành phố Đà Nẵng", "Chính phủ"]
DOC_KINDS = [("TT-BYT", "Bộ Y tế"), ("NĐ-CP", "Chính phủ"), ("QĐ-BYT", "Bộ Y tế"), ("QĐ-UBND", "Ủy ban nhân dân thành phố Đà Nẵng")]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _docno(rng: random.Random, year: int) -> tuple[str, str]:
    kind, agency = rng.choice(DOC_KINDS)
    if kind.startswith(("TT", "NĐ")):
        return f"{rng.randint(1, 180)}/{year}/{kind}", agency
    return f"{rng.randint(100, 4999)}/{kind}", agency


def _fill(rng: random.Random, pattern: str, year: int, unit: str) -> str:
    d = date(year, rng.randint(1, 12), rng.randint(1, 28))
    docno, agency = _docno(rng, year)
    return pattern.format(
        date=d.strftime("%d/%m/%Y"), unit=unit, topic=rng.choice(TOPICS), person=_person(rng),
        title=rng.choice(["Giám đốc", "Phó Giám đốc", "Trưởng phòng", "Trưởng khoa"]),
        period=rng.choice(["quý I", "quý II", "quý III", "6 tháng đầu năm", "năm " + str(year)]),
        n=rng.randint(120, 4800), n2=rng.randint(5, 40), small=rng.randint(2, 30), pct=rng.randint(85, 100),
        place=rng.choice(PLACES), Dept=rng.choice(DEPARTMENTS), docno=docno, agency=agency, year=year,
    )


def _paragraph(rng: random.Random, bank: list[str], year: int, unit: str, words: int) -> str:
    out: list[str] = []
    count = 0
    order: list[str] = []
    while count < words:
        if not order:  # every pattern once before any repeats
            order = list(bank)
            rng.shuffle(order)
        s = _fill(rng, order.pop(), year, unit)
        out.append(s)
        count += len(s.split())
    return " ".join(out)


def _words(text: str) -> int:
    return len(text.split())


# --- the corpus as data ----------------------------------------------------------
@dataclass
class NewsDoc:
    index: int
    filename: str  # "2024-03-05-0007.md"
    meta: dict  # front matter in this project's format (NewsFrontMatter)
    body: str  # Markdown
    procedure_links: list[str] = field(default_factory=list)  # codes linked from the body


@dataclass
class Corpus:
    size: str
    news: list[NewsDoc]
    procedures: list[dict]  # Procedure model data
    plans: list[dict]  # {"id", "text" (YAML), "tasks"}: see make_plan


def procedure_code(i: int) -> str:
    # A range of its own (2.9xxxxx) so generated codes never collide with the sample's real ones.
    return f"2.{900000 + i:06d}"


def make_news(i: int, seed: int, unit: str, n_procedures: int, plans: list[dict]) -> NewsDoc:
    rng = random.Random(f"{seed}:news:{i}")
    # Spread over 2019-01-01 .. 2026-06-29, one item every ~13 hours on average.
    when = _news_when(rng)
    year = when.year
    topic = rng.choice(TOPICS)
    title = rng.choice(TITLE_PATTERNS).format(
        verb=rng.choice(VERBS), topic=topic, year=year, Dept=rng.choice(DEPARTMENTS), place=rng.choice(PLACES),
        period=rng.choice(["quý I", "quý II", "6 tháng đầu năm", f"năm {year}"]),
    )
    title = title[0].upper() + title[1:]
    cats = [rng.choice(CATEGORIES)]
    if rng.random() < 0.3:
        other = rng.choice(CATEGORIES)
        if other not in cats:
            cats.append(other)
    meta: dict = {
        "title": title,
        "date": when.strftime("%Y-%m-%d %H:%M"),
        "summary": _fill(rng, rng.choice(NEWS_SENTENCES), year, unit),
        "chuyen_muc": cats,
        "loai": rng.choice(KINDS),
        "tags": sorted(set(rng.sample(TAGS, rng.randint(1, 4)))),
        "author": _person(rng),
        "don_vi": rng.choice(DEPARTMENTS),
    }
    codes = sorted({procedure_code(rng.randrange(n_procedures)) for _ in range(rng.randint(0, 2))}) if n_procedures else []
    if codes:
        meta["tthc_lien_quan"] = codes
    same_year = [p for p in plans if p["year"] == year]
    if same_year and rng.random() < 0.5:
        plan = rng.choice(same_year)
        meta["ke_hoach"] = [{"ke_hoach": plan["id"], "nhiem_vu": rng.choice(plan["tasks"])}]
    if rng.random() < 0.05:
        upd = when + timedelta(days=rng.randint(1, 20))
        if upd < datetime(2026, 6, 30):
            meta["updated"] = upd.strftime("%Y-%m-%d %H:%M")
            meta["change_note"] = "Bổ sung số liệu và sửa lỗi chính tả."
    if rng.random() < 0.01:
        meta["draft"] = True
    target_words = rng.randint(300, 850)
    parts: list[str] = []
    words = 0
    sections = rng.sample(HEADINGS, 3)
    links: list[str] = []
    p = 0
    while words < target_words:
        if p in (2, 5) and sections:
            parts.append("## " + sections.pop())
        if p == 3 and rng.random() < 0.6:
            items = rng.sample(LIST_ITEMS, rng.randint(3, 5))
            block = "\n".join(f"- {x}." for x in items)
            parts.append(block)
            words += _words(block)
        elif p == 4 and rng.random() < 0.3:
            rows = [f"| {q} | {rng.randint(100, 3000)} | {rng.randint(85, 100)}% |" for q in ("Quý I", "Quý II", "Quý III", "Quý IV")]
            block = "| Kỳ | Số hồ sơ | Đúng hạn |\n|---|---|---|\n" + "\n".join(rows)
            parts.append(block)
            words += _words(block)
        else:
            para = _paragraph(rng, NEWS_SENTENCES, year, unit, rng.randint(50, 110))
            if p == 1 and codes:
                para += f" Xem hướng dẫn thủ tục [{codes[0]}](../../procedures/{codes[0]}.yml)."
                links.append(codes[0])
            if p == 6 and i > 0 and rng.random() < 0.5:
                j = rng.randrange(i)
                para += f" Xem thêm [tin đã đăng]({news_filename(j, seed)})."
            parts.append(para)
            words += _words(para)
        p += 1
    return NewsDoc(i, news_filename(i, seed), meta, "\n\n".join(parts) + "\n", links)


def news_filename(i: int, seed: int) -> str:
    when = _news_when(random.Random(f"{seed}:news:{i}"))
    return f"{when:%Y-%m-%d}-{i:04d}.md"


def _news_when(rng: random.Random) -> datetime:
    """Publication time: a working day between 2019-01-01 and 2026-06-29, 7:00–17:55 (the first draw of the item's rng)."""
    day = date(2019, 1, 1) + timedelta(days=rng.randint(0, (date(2026, 6, 29) - date(2019, 1, 1)).days))
    return datetime(day.year, day.month, day.day, rng.randint(7, 17), rng.randrange(0, 60, 5))


def make_procedure(i: int, seed: int, unit: str, n_procedures: int) -> dict:
    rng = random.Random(f"{seed}:procedure:{i}")
    code = procedure_code(i)
    field_name, field_code = rng.choice(FIELDS)
    name = f"{rng.choice(PROC_ACTIONS)} {rng.choice(PROC_OBJECTS)}"
    year = rng.randint(2020, 2025)
    cases = []
    if rng.random() < 0.4:
        cases = [{"ma": "1", "ten": "Trường hợp cấp lần đầu"}, {"ma": "2", "ten": "Trường hợp cấp lại do mất, hỏng hoặc sai thông tin"}]
    case_keys = [c["ma"] for c in cases] or [None]

    def para(lo: int, hi: int) -> str:
        return _paragraph(rng, PROC_SENTENCES, year, unit, rng.randint(lo, hi))

    steps = []
    for key in case_keys:
        entry: dict = {"cac_buoc": [para(45, 90) for _ in range(rng.randint(3, 5))]}
        if key:
            entry = {"truong_hop": key, **entry}
        steps.append(entry)
    methods = []
    for form in ("truc_tiep", "truc_tuyen", "buu_chinh")[: rng.randint(1, 3)]:
        for key in case_keys:
            m: dict = {"hinh_thuc": form}
            if key:
                m["truong_hop"] = key
            m["thoi_han"] = {"so": rng.choice([1, 3, 5, 7, 10, 15]), "don_vi": "ngay_lam_viec",
                             "mo_ta": para(15, 30)}
            fees = []
            if rng.random() < 0.5:
                fees.append({"loai": "phi", "so_tien": rng.choice([20000, 50000, 100000, 150000, 300000]),
                             "mo_ta": "/hồ sơ", "can_cu": "Thông tư 64/2025/TT-BTC"})
                if rng.random() < 0.3:
                    fees.append({"loai": "phi", "so_tien": 0, "mo_ta": "Miễn phí khi nộp trực tuyến trong thời gian khuyến khích",
                                 "hieu_luc_tu": "2025-07-01", "hieu_luc_den": "2026-12-31"})
            m["phi_le_phi"] = fees
            methods.append(m)
    dossier = []
    for key in case_keys:
        g: dict = {"nhom": "phai_nop", "giay_to": []}
        if key:
            g = {"truong_hop": key, **g}
        for paper in rng.sample(PAPERS, rng.randint(3, 6)):
            g["giay_to"].append({"ten": paper, "ban_chinh": rng.choice([0, 1]), "ban_sao": rng.choice([0, 1, 2]),
                                 "ghi_chu": para(10, 25)})
        dossier.append(g)
    legal = []
    for _ in range(rng.randint(2, 4)):
        no, agency = _docno(rng, rng.randint(2015, 2025))
        legal.append({"so_ky_hieu": no, "trich_yeu": _fill(rng, rng.choice(PROC_SENTENCES), year, unit),
                      "co_quan_ban_hanh": agency, "ngay_ban_hanh": f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"})
    decided = date(year, rng.randint(1, 12), rng.randint(1, 28))
    decisions = [{"so": f"{rng.randint(100, 4999)}/QĐ-BYT", "ngay": decided.isoformat(), "co_quan": "Bộ Y tế",
                  "loai_thay_doi": "moi_ban_hanh"}]
    if rng.random() < 0.3:
        later = decided + timedelta(days=rng.randint(30, 400))
        decisions.append({"so": f"{rng.randint(100, 4999)}/QĐ-UBND", "ngay": later.isoformat(),
                          "co_quan": "Ủy ban nhân dân thành phố Đà Nẵng", "loai_thay_doi": "sua_doi_bo_sung"})
    last = max(date.fromisoformat(d["ngay"]) for d in decisions)
    proc: dict = {
        "ma_tthc": code,
        "ten": name[0].upper() + name[1:],
        "linh_vuc": {"ten": field_name, "ma": field_code},
        "co_quan_cong_bo": {"ten": "Bộ Y tế", "ma": "G18"},
        "cap_thuc_hien": [rng.choice(["cap_tinh", "cap_xa", "co_quan_khac"])],
        "loai_tthc": "tieu_chuan",
        "doi_tuong_thuc_hien": [{"ten": "Công dân Việt Nam"}] + ([{"ten": "Người nước ngoài"}] if rng.random() < 0.3 else []),
        "co_quan": {"thuc_hien": [{"ten": unit}], "co_tham_quyen": [{"ten": rng.choice(AGENCIES)}]},
        "tai_don_vi": {"noi_tiep_nhan": f"Bộ phận tiếp nhận hồ sơ, phòng {rng.randint(101, 130)}, tầng 1, nhà A",
                       "gio_tiep_nhan": "Thứ Hai – Thứ Sáu, 7h00 – 11h30 và 13h30 – 17h00",
                       "dien_thoai": f"0236 3 000 {rng.randint(100, 199)}"},
        "cac_truong_hop": cases,
        "trinh_tu_thuc_hien": steps,
        "cach_thuc_thuc_hien": methods,
        "thanh_phan_ho_so": dossier,
        "so_bo_ho_so": "01 bộ",
        "ket_qua": [{"ten": name[0].upper() + name[1:] + " (bản chính hoặc bản điện tử có ký số)"}],
        "yeu_cau_dieu_kien": para(60, 120),
        "can_cu_phap_ly": legal,
        "quyet_dinh_cong_bo": decisions,
        "dich_vu_cong": [{"ma_dvc": f"{code}.01", "muc_do": rng.choice(["toan_trinh", "mot_phan"])}],
        "ngay_cap_nhat": (last + timedelta(days=rng.randint(0, 60))).isoformat(),
        "tu_khoa": rng.sample(TAGS, 2),
    }
    if not cases:
        del proc["cac_truong_hop"]
    if n_procedures > 1 and rng.random() < 0.2:
        other = rng.randrange(n_procedures)
        if other != i:
            proc["thu_tuc_lien_quan"] = [{"ma": procedure_code(other)}]
    # Pad to the 1,450–2,000 word range of real posted procedures with guidance notes.
    target = rng.randint(1450, 2000)
    notes: list[str] = []
    while _proc_words(proc, notes) < target:
        notes.append(para(60, 120))
    if notes:
        proc["tai_don_vi"]["ghi_chu"] = "\n\n".join(notes)
    return proc


def _proc_words(proc, notes: list[str]) -> int:
    return _text_words(proc) + sum(_words(n) for n in notes)


def _text_words(value) -> int:
    if isinstance(value, str):
        return _words(value)
    if isinstance(value, dict):
        return sum(_text_words(v) for v in value.values())
    if isinstance(value, list):
        return sum(_text_words(v) for v in value)
    return 0


SAMPLE_PLAN = os.path.join(REPO, "plans", "kh-tt-cchc-2026.yml")


def make_plan(k: int) -> dict:
    """Plan k: the sample site's real-shaped 2026 plan moved k years back (every year in it shifted).

    The plans model follows real signed plans closely and is owned by the plans
    module, so the benchmark reuses the sample file rather than inventing a second
    shape of it. Returns {"id", "text", "tasks"} (task numbers news items may cite).
    """
    with open(SAMPLE_PLAN, encoding="utf-8") as fh:
        text = fh.read()
    text = re.sub(r"\b20[0-9]{2}\b", lambda m: str(int(m.group(0)) - k), text)
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    tasks: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if "stt" in node and "noi_dung" in node:
                tasks.append(str(node["stt"]))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(data)
    return {"id": str(data["id"]), "year": int(data["nam"]), "text": text, "tasks": tasks}


UNIT = "Trung tâm Y tế khu vực Sông Hàn"


def _dedupe_slugs(news: list[NewsDoc]) -> None:
    """Titles repeat ("Hội nghị … năm 2024"); as staff do when the build says so, later items get a 'slug:'."""
    from cchc.text import slugify

    seen: set[str] = set()
    for doc in news:
        slug = slugify(doc.meta["title"])
        if slug in seen:
            slug = f"{slugify(doc.meta['title'], 60)}-{doc.index}"
            doc.meta = {**doc.meta, "slug": slug}
            # keep the field order of a hand-written file: slug after title
            doc.meta = {k: doc.meta[k] for k in ["title", "slug"] + [k for k in doc.meta if k not in ("title", "slug")]}
        seen.add(slug)


def build(size: str, seed: int = SEED, counts: dict | None = None) -> Corpus:
    """The corpus of one size (or of explicit `counts`, for tests) as data."""
    counts = counts or SIZES[size]
    plans = [make_plan(k) for k in range(counts["plans"])] if os.path.isfile(SAMPLE_PLAN) else []
    news = [make_news(i, seed, UNIT, counts["procedures"], plans) for i in range(counts["news"])]
    _dedupe_slugs(news)
    procs = [make_procedure(i, seed, UNIT, counts["procedures"]) for i in range(counts["procedures"])]
    return Corpus(size, news, procs, plans)


# --- writers ----------------------------------------------------------------------
class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    pass


def _str_repr(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_repr)


def dump_yaml(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)


def _write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def news_source(doc: NewsDoc) -> str:
    return "---\n" + dump_yaml(doc.meta) + "---\n\n" + doc.body


def write_cchc(corpus: Corpus, root: str, *, procedure_links: bool) -> None:
    """This project's site: the sample configuration and pages, the generated content."""
    os.makedirs(root, exist_ok=True)
    shutil.copyfile(os.path.join(REPO, "mkdocs.yml"), os.path.join(root, "mkdocs.yml"))
    link = os.path.join(root, "overrides")
    if not os.path.lexists(link):
        os.symlink(os.path.join(REPO, "overrides"), link)
    src_content = os.path.join(REPO, "content")
    for dirpath, dirnames, filenames in os.walk(src_content):
        rel = os.path.relpath(dirpath, src_content)
        if rel.split(os.sep)[0] == NEWS_DIR:
            continue
        for fn in filenames:
            dst = os.path.join(root, "content", rel, fn)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(os.path.join(dirpath, fn), dst)
    for doc in corpus.news:
        body = doc.body
        if not procedure_links:
            for code in doc.procedure_links:
                body = body.replace(f"[{code}](../../procedures/{code}.yml)", code)
        _write(os.path.join(root, "content", NEWS_DIR, doc.filename), news_source(NewsDoc(doc.index, doc.filename, doc.meta, body)))
    for proc in corpus.procedures:
        _write(os.path.join(root, "procedures", proc["ma_tthc"] + ".yml"), dump_yaml(proc))
    for plan in corpus.plans:
        _write(os.path.join(root, "plans", plan["id"] + ".yml"), plan["text"])


def procedure_markdown(proc: dict) -> str:
    """The same procedure as one Markdown page (for the peers)."""
    out = [f"# {proc['ma_tthc']} – {proc['ten']}", ""]
    out += [f"**Lĩnh vực:** {proc['linh_vuc']['ten']}  ", f"**Cập nhật:** {proc['ngay_cap_nhat']}", ""]
    cases = {c["ma"]: c["ten"] for c in proc.get("cac_truong_hop", [])}
    out += ["## Trình tự thực hiện", ""]
    for s in proc["trinh_tu_thuc_hien"]:
        if s.get("truong_hop"):
            out += [f"### {cases[s['truong_hop']]}", ""]
        out += [f"{n}. {b}" for n, b in enumerate(s["cac_buoc"], 1)] + [""]
    out += ["## Cách thức thực hiện", "", "| Hình thức | Thời hạn | Phí, lệ phí | Mô tả |", "|---|---|---|---|"]
    for m in proc["cach_thuc_thuc_hien"]:
        fees = "; ".join(f"{f['so_tien']:,} đồng {f.get('mo_ta', '')}".replace(",", ".") for f in m["phi_le_phi"]) or "Không"
        out.append(f"| {m['hinh_thuc']} | {m['thoi_han']['so']} ngày làm việc | {fees} | {m['thoi_han']['mo_ta']} |")
    out += ["", "## Thành phần hồ sơ", ""]
    for g in proc["thanh_phan_ho_so"]:
        if g.get("truong_hop"):
            out += [f"### {cases[g['truong_hop']]}", ""]
        out += ["| Giấy tờ | Bản chính | Bản sao | Ghi chú |", "|---|---|---|---|"]
        out += [f"| {p['ten']} | {p['ban_chinh']} | {p['ban_sao']} | {p['ghi_chu']} |" for p in g["giay_to"]] + [""]
    out += ["## Yêu cầu, điều kiện", "", proc["yeu_cau_dieu_kien"], "", "## Căn cứ pháp lý", ""]
    out += [f"- {v['so_ky_hieu']}: {v['trich_yeu']}" for v in proc["can_cu_phap_ly"]] + [""]
    out += ["## Nơi tiếp nhận", "", proc["tai_don_vi"]["noi_tiep_nhan"] + ", " + proc["tai_don_vi"]["gio_tiep_nhan"], ""]
    if proc["tai_don_vi"].get("ghi_chu"):
        out += ["## Lưu ý", "", proc["tai_don_vi"]["ghi_chu"], ""]
    return "\n".join(out) + "\n"


def _peer_body(doc: NewsDoc, procedure_prefix: str) -> str:
    body = doc.body
    for code in doc.procedure_links:
        body = body.replace(f"](../../procedures/{code}.yml)", f"]({procedure_prefix}{code}.md)")
    return body


MKDOCS_PEER_CONFIG = """\
site_name: Cải cách hành chính – {unit}
site_url: https://cchc.ttyt-songhan.example/
site_description: Chuyên mục cải cách hành chính (MkDocs peer for the benchmark).
use_directory_urls: true
theme:
  name: material
  language: vi
  font: false
  features:
    - navigation.tabs
    - navigation.prune
    - navigation.indexes
nav:
  - Trang chủ: index.md
  - Tin tức: tin-tuc/index.md
  - Thủ tục hành chính: thu-tuc/index.md
not_in_nav: |
  /thu-tuc/tt-*.md
plugins:
  - search:
      lang: en
  - blog:
      blog_dir: tin-tuc
      blog_toc: true
      post_date_format: long
      categories_allowed:
{categories}
  - rss:
      match_path: "tin-tuc/posts/.*"
      use_git: false
      date_from_meta:
        as_creation: date.created
        as_update: date.updated
        default_timezone: Asia/Ho_Chi_Minh
      categories:
        - categories
markdown_extensions:
  - abbr
  - admonition
  - attr_list
  - def_list
  - footnotes
  - md_in_html
  - tables
  - toc:
      permalink: false
"""


_VN = timezone(timedelta(hours=7))


def _aware(text: str) -> datetime:
    """'2026-03-05 08:30' as a Vietnam-time datetime (YAML writes it as a timestamp, which the blog requires)."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=_VN)


def write_mkdocs_peer(corpus: Corpus, root: str) -> None:
    cats = "\n".join(f"        - {json.dumps(v, ensure_ascii=False)}" for v in CATEGORY_LABELS.values())
    _write(os.path.join(root, "mkdocs.yml"), MKDOCS_PEER_CONFIG.format(unit=UNIT, categories=cats))
    docs = os.path.join(root, "docs")
    _write(os.path.join(docs, "index.md"), f"# {UNIT}\n\nChuyên mục cải cách hành chính.\n")
    _write(os.path.join(docs, "tin-tuc", "index.md"), "# Tin tức CCHC\n")
    lines = ["# Thủ tục hành chính", ""]
    for proc in corpus.procedures:
        lines.append(f"- [{proc['ma_tthc']} – {proc['ten']}](tt-{proc['ma_tthc']}.md)")
    _write(os.path.join(docs, "thu-tuc", "index.md"), "\n".join(lines) + "\n")
    for doc in corpus.news:
        m = doc.meta
        fm: dict = {"title": m["title"], "date": {"created": _aware(m["date"])},
                    "description": m["summary"], "categories": [CATEGORY_LABELS[c] for c in m["chuyen_muc"]],
                    "tags": m["tags"], "authors": [], "draft": bool(m.get("draft", False))}
        del fm["authors"]
        if m.get("updated"):
            fm["date"]["updated"] = _aware(m["updated"])
        body = _peer_body(doc, "../../thu-tuc/tt-")
        text = "---\n" + dump_yaml(fm) + "---\n\n# " + m["title"] + "\n\n" + m["summary"] + "\n\n<!-- more -->\n\n" + body
        _write(os.path.join(docs, "tin-tuc", "posts", doc.filename), text)
    for proc in corpus.procedures:
        _write(os.path.join(docs, "thu-tuc", f"tt-{proc['ma_tthc']}.md"), procedure_markdown(proc))


HUGO_CONFIG = """\
baseURL = "https://cchc.ttyt-songhan.example/"
languageCode = "vi"
defaultContentLanguage = "vi"
title = "Cải cách hành chính – {unit}"
timeZone = "Asia/Ho_Chi_Minh"
disableKinds = []
[pagination]
  pagerSize = 10
[taxonomies]
  category = "categories"
  tag = "tags"
[markup.goldmark.renderer]
  unsafe = false
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} – {{ .Site.Title }}</title>
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .RelPermalink }}">{{ end }}
</head><body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav><a href="{{ "/tin-tuc/" | relURL }}">Tin tức</a> <a href="{{ "/thu-tuc/" | relURL }}">Thủ tục hành chính</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main><footer>{{ .Site.Title }}</footer></body></html>
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02T15:04:05-07:00" }}">{{ .Date.Format "02/01/2006 15:04" }}</time></p>
{{ .Content }}
{{ with .Params.categories }}<p>Chuyên mục: {{ range . }}<a href="{{ (print "/categories/" (. | urlize) "/") | relURL }}">{{ . }}</a> {{ end }}</p>{{ end }}
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $p := .Paginate .Pages }}<ul>{{ range $p.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> – {{ .Summary | plainify | truncate 160 }}</li>{{ end }}</ul>
{{ if $p.HasPrev }}<a href="{{ $p.Prev.URL }}">Trang trước</a>{{ end }} {{ if $p.HasNext }}<a href="{{ $p.Next.URL }}">Trang sau</a>{{ end }}
{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ .Site.Title }}</h1><ul>{{ range first 10 (where .Site.RegularPages "Section" "tin-tuc") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
""",
}


def write_hugo(corpus: Corpus, root: str) -> None:
    _write(os.path.join(root, "hugo.toml"), HUGO_CONFIG.format(unit=UNIT))
    for name, text in HUGO_LAYOUTS.items():
        _write(os.path.join(root, "layouts", name), text)
    content = os.path.join(root, "content")
    _write(os.path.join(content, "tin-tuc", "_index.md"), "---\ntitle: Tin tức CCHC\n---\n")
    _write(os.path.join(content, "thu-tuc", "_index.md"), "---\ntitle: Thủ tục hành chính\n---\n")
    for doc in corpus.news:
        m = doc.meta
        fm = {"title": m["title"], "date": m["date"].replace(" ", "T") + ":00+07:00", "summary": m["summary"],
              "categories": [CATEGORY_LABELS[c] for c in m["chuyen_muc"]], "tags": m["tags"],
              "draft": bool(m.get("draft", False))}
        body = _peer_body(doc, "../../thu-tuc/tt-")
        _write(os.path.join(content, "tin-tuc", doc.filename), "---\n" + dump_yaml(fm) + "---\n\n" + body)
    for proc in corpus.procedures:
        md = procedure_markdown(proc)
        title, rest = md.split("\n", 1)
        fm = {"title": title[2:], "date": proc["ngay_cap_nhat"]}
        _write(os.path.join(content, "thu-tuc", f"tt-{proc['ma_tthc']}.md"), "---\n" + dump_yaml(fm) + "---\n" + rest)


def write_all(size: str, root: str, seed: int = SEED, *, procedure_links: bool | None = None) -> Corpus:
    """Write the three sites of one size under `root` (emptied first)."""
    if procedure_links is None:
        procedure_links = procedures_module_registered()
    corpus = build(size, seed)
    if os.path.isdir(root):
        shutil.rmtree(root)
    write_cchc(corpus, os.path.join(root, "cchc"), procedure_links=procedure_links)
    write_mkdocs_peer(corpus, os.path.join(root, "mkdocs"))
    write_hugo(corpus, os.path.join(root, "hugo"))
    return corpus


PLAIN_DIR = "thu-tuc-md"  # the plain-Markdown variant's procedure pages (content/thu-tuc-md/)


def write_variants(corpus: Corpus, cchc_root: str, root: str) -> None:
    """Two copies of this project's site for the per-page cost of a procedure (issue 3, "Scale").

    ``no-procedures``: the same site with no procedure; ``plain-procedures``: the
    same site with the procedures' text as plain Markdown pages under
    ``content/thu-tuc-md/`` (rendered by MkDocs with Material, outside the nav).
    """
    if os.path.isdir(root):
        shutil.rmtree(root)
    for name in ("no-procedures", "plain-procedures"):
        dst = os.path.join(root, name)
        shutil.copytree(cchc_root, dst, symlinks=True,
                        ignore=shutil.ignore_patterns("site", ".cache", "procedures"))
        os.makedirs(os.path.join(dst, "procedures"))
        # News may name procedures; without the procedures those references must go.
        news = os.path.join(dst, "content", NEWS_DIR)
        for doc in corpus.news:
            meta = {k: v for k, v in doc.meta.items() if k != "tthc_lien_quan"}
            body = doc.body
            for code in doc.procedure_links:
                body = body.replace(f"[{code}](../../procedures/{code}.yml)", code)
            _write(os.path.join(news, doc.filename), news_source(NewsDoc(doc.index, doc.filename, meta, body)))
    plain = os.path.join(root, "plain-procedures", "content", PLAIN_DIR)
    for proc in corpus.procedures:
        _write(os.path.join(plain, proc["ma_tthc"] + ".md"), procedure_markdown(proc))


def news_path(project: str, index: int = CHANGED_NEWS_INDEX, seed: int = SEED) -> str:
    return os.path.join(project, "content", NEWS_DIR, news_filename(index, seed))


def procedure_path(project: str, index: int = CHANGED_PROCEDURE_INDEX) -> str:
    return os.path.join(project, "procedures", procedure_code(index) + ".yml")


def procedures_module_registered() -> bool:
    """Links from news to procedure files resolve only when the procedures module is built."""
    try:
        from cchc.site import MODULES
    except ImportError:
        return False
    return "cchc.procedures" in MODULES


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="Write the benchmark corpus (this project, MkDocs peer, Hugo).")
    ap.add_argument("size", choices=sorted(SIZES))
    ap.add_argument("out", help="folder to write (emptied first)")
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args(argv)
    corpus = write_all(args.size, args.out, args.seed)
    print(f"{args.out}: {len(corpus.news)} news, {len(corpus.procedures)} procedures, {len(corpus.plans)} plans")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
