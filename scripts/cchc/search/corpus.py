"""A deterministic corpus of Vietnamese news items and procedures for the search benchmark.

Real sites cannot be shipped as fixtures at the 6,000-item scale, so the
benchmark generates one: the same seed gives the same text byte for byte. The
text is drawn from a word-level Markov chain trained on hand-written sentences
in the register of a health unit's CCHC section (news about one-stop desks,
health insurance, digital records; procedure steps, dossiers, fees, legal
bases), with people's and places' names, dates, decision numbers and procedure
codes mixed in, so that the vocabulary and its frequency curve look like a real
site's rather than a lorem-ipsum's. Like real input, a share of the items is
written with the old tone placement ("hoà", "thuỷ") and a share is stored
decomposed (NFD).

Nothing here is used by the site itself; the benchmark (scripts/bench_search.py)
and the larger search tests call it.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

__all__ = ["Item", "generate", "PROCEDURE_TITLES"]

# --- training text ------------------------------------------------------------
# Written for this generator in the style of CCHC news and procedure pages.
_TRAINING = """
Trung tâm Y tế khu vực tổ chức hội nghị triển khai công tác cải cách hành chính năm 2026.
Tham dự hội nghị có đại diện lãnh đạo Sở Y tế, các khoa, phòng và trạm y tế xã, phường.
Hội nghị đã đánh giá kết quả thực hiện công tác cải cách hành chính trong năm qua và đề ra nhiệm vụ trọng tâm cho năm tới.
Đơn vị tiếp tục đẩy mạnh ứng dụng công nghệ thông tin, chuyển đổi số trong khám bệnh, chữa bệnh.
Bệnh viện đã triển khai bệnh án điện tử tại tất cả các khoa lâm sàng từ tháng 6 năm 2025.
Người bệnh có thể đăng ký khám bệnh trực tuyến qua ứng dụng hoặc tổng đài của bệnh viện.
Việc thanh toán viện phí không dùng tiền mặt giúp người dân tiết kiệm thời gian chờ đợi.
Bộ phận tiếp nhận và trả kết quả theo cơ chế một cửa đã giải quyết đúng hạn toàn bộ hồ sơ.
Tỷ lệ hồ sơ thủ tục hành chính được giải quyết đúng hạn đạt 100 phần trăm.
Kết quả khảo sát sự hài lòng của người bệnh nội trú và ngoại trú đều tăng so với cùng kỳ.
Trung tâm đã niêm yết công khai các thủ tục hành chính tại nơi tiếp nhận hồ sơ và trên trang thông tin điện tử.
Người dân có thể phản ánh, kiến nghị về quy định hành chính qua đường dây nóng hoặc hộp thư góp ý.
Thẻ bảo hiểm y tế được tích hợp trên ứng dụng định danh điện tử và căn cước công dân gắn chip.
Người tham gia bảo hiểm y tế khi đi khám chỉ cần xuất trình căn cước có gắn chip.
Công tác khám sức khỏe định kỳ cho người cao tuổi và học sinh được thực hiện theo kế hoạch.
Trạm y tế xã phối hợp với trường học tổ chức tiêm chủng mở rộng cho trẻ em dưới 5 tuổi.
Khoa Kiểm soát bệnh tật tăng cường giám sát, phòng chống dịch sốt xuất huyết và tay chân miệng.
Cán bộ, viên chức được tập huấn về quy tắc ứng xử và nâng cao chất lượng phục vụ người bệnh.
Đơn vị thực hiện nghiêm kỷ luật, kỷ cương hành chính, không để xảy ra tình trạng nhũng nhiễu, gây phiền hà.
Phòng Kế hoạch tổng hợp chủ trì, phối hợp với các khoa, phòng xây dựng kế hoạch tuyên truyền.
Kế hoạch tuyên truyền cải cách hành chính được ban hành kèm theo các chỉ tiêu cụ thể cho từng quý.
Mỗi tháng đơn vị đăng tải tối thiểu hai tin, bài về cải cách hành chính trên trang thông tin điện tử.
Tin, bài được gửi về Cổng thông tin cải cách hành chính của tỉnh để tổng hợp và đăng tải.
Bệnh viện tổ chức ngày hội hiến máu tình nguyện thu hút hơn 300 cán bộ, nhân viên tham gia.
Chương trình khám sàng lọc bệnh tăng huyết áp và đái tháo đường miễn phí cho người dân trên địa bàn.
Đoàn kiểm tra của Sở Y tế đã kiểm tra công tác cải cách hành chính tại trung tâm y tế.
Đoàn ghi nhận đơn vị đã thực hiện tốt việc công khai, minh bạch thông tin và tiếp nhận hồ sơ trực tuyến.
Dịch vụ công trực tuyến toàn trình giúp người dân nộp hồ sơ mọi lúc, mọi nơi.
Giấy chứng sinh được cấp bản điện tử có ký số và liên thông với đăng ký khai sinh.
Cơ sở khám bệnh, chữa bệnh cấp giấy báo tử phục vụ thủ tục đăng ký khai tử tại Ủy ban nhân dân xã.
Hòa Bình, Thủy Nguyên, Khánh Hòa và Quảng Ngãi là những địa phương triển khai sớm mô hình này.
Ủy ban nhân dân tỉnh ban hành quyết định công bố danh mục thủ tục hành chính lĩnh vực y tế.
Bộ Y tế ban hành thông tư quy định về cấp và sử dụng giấy chứng sinh.
Quy trình nội bộ giải quyết thủ tục hành chính được rà soát, cắt giảm thời gian giải quyết.
Khoa Dược bảo đảm cung ứng đủ thuốc, vật tư y tế phục vụ công tác khám bệnh, chữa bệnh.
Hệ thống xếp hàng tự động và màn hình thông tin giúp người bệnh biết lượt khám của mình.
Bác sĩ gia đình tư vấn chăm sóc sức khỏe ban đầu cho người dân tại trạm y tế.
Trung tâm tổ chức lớp tập huấn kỹ năng giao tiếp, ứng xử cho nhân viên y tế.
Cải cách thể chế, cải cách thủ tục hành chính, cải cách tổ chức bộ máy là những nội dung trọng tâm.
Cải cách chế độ công vụ, cải cách tài chính công và xây dựng chính quyền số được triển khai đồng bộ.
Đơn vị đã sắp xếp lại các khoa, phòng theo hướng tinh gọn, hoạt động hiệu lực, hiệu quả.
Cơ chế tự chủ tài chính giúp bệnh viện chủ động đầu tư trang thiết bị y tế hiện đại.
Ban Giám đốc đánh giá cao sự nỗ lực của tập thể cán bộ, viên chức, người lao động.
Phong trào thi đua được phát động với chủ đề đổi mới phong cách, thái độ phục vụ.
Người bệnh nghèo, người có công và trẻ em được hỗ trợ chi phí khám, chữa bệnh.
Trung tâm phối hợp với Bảo hiểm xã hội tỉnh giải quyết kịp thời quyền lợi cho người tham gia bảo hiểm.
Hồ sơ bệnh án được lưu trữ, bảo mật theo đúng quy định của pháp luật.
Người bệnh hoặc người đại diện có quyền đề nghị cấp bản tóm tắt hồ sơ bệnh án.
Kết quả xét nghiệm được trả qua tin nhắn và ứng dụng trên điện thoại thông minh.
Chiến dịch truyền thông về an toàn thực phẩm được tổ chức tại các chợ và trường học.
Cộng tác viên dân số tuyên truyền về chăm sóc sức khỏe bà mẹ, trẻ em tại cộng đồng.
Khoa Khám bệnh bố trí thêm bàn tiếp đón và hướng dẫn người bệnh vào giờ cao điểm.
Thời gian chờ khám trung bình đã giảm còn khoảng 30 phút mỗi lượt.
Phản ánh của người dân được tiếp nhận, xử lý và trả lời công khai trong thời hạn quy định.
"""

_PROCEDURE_TEXT = """
Bước 1: Tổ chức, cá nhân chuẩn bị hồ sơ theo quy định và nộp tại Bộ phận tiếp nhận và trả kết quả.
Bước 2: Cán bộ tiếp nhận kiểm tra tính đầy đủ, hợp lệ của hồ sơ và viết giấy hẹn trả kết quả.
Bước 3: Trường hợp hồ sơ chưa đầy đủ, cán bộ hướng dẫn bổ sung, hoàn thiện hồ sơ một lần.
Bước 4: Cơ quan có thẩm quyền thẩm định hồ sơ và trình lãnh đạo ký duyệt.
Bước 5: Trả kết quả giải quyết thủ tục hành chính cho tổ chức, cá nhân theo giấy hẹn.
Nộp hồ sơ trực tiếp tại cơ sở khám bệnh, chữa bệnh hoặc qua dịch vụ bưu chính công ích.
Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia hoặc Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh.
Thời hạn giải quyết là 05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.
Thời hạn giải quyết là 03 ngày làm việc kể từ thời điểm nhận đủ hồ sơ hợp lệ.
Đơn đề nghị theo mẫu quy định tại Phụ lục ban hành kèm theo Thông tư.
Bản sao hợp lệ căn cước công dân hoặc giấy tờ tùy thân có số định danh cá nhân.
Giấy ủy quyền hợp pháp trong trường hợp người đại diện nộp hồ sơ thay.
Bản chính hoặc bản sao chứng thực giấy tờ chứng minh quan hệ nhân thân.
Phí thẩm định là 500.000 đồng cho mỗi hồ sơ theo quy định của Bộ Tài chính.
Không thu phí, lệ phí đối với thủ tục này.
Đối tượng thực hiện là công dân Việt Nam, người nước ngoài và tổ chức có nhu cầu.
Cơ quan thực hiện là cơ sở khám bệnh, chữa bệnh đã được cấp giấy phép hoạt động.
Kết quả thực hiện là giấy chứng nhận, văn bản trả lời hoặc quyết định phê duyệt.
Căn cứ pháp lý là Luật Khám bệnh, chữa bệnh số 15/2023/QH15 và các văn bản hướng dẫn thi hành.
Yêu cầu, điều kiện thực hiện là người đề nghị phải có đủ năng lực hành vi dân sự.
Trường hợp hồ sơ không đáp ứng yêu cầu, cơ quan giải quyết phải trả lời bằng văn bản và nêu rõ lý do.
Trong thời hạn 30 ngày kể từ ngày trẻ sinh ra, thân nhân của trẻ nộp tờ khai đề nghị cấp giấy chứng sinh.
Người bệnh nộp đơn đề nghị cấp bản tóm tắt hồ sơ bệnh án tại phòng Kế hoạch tổng hợp.
Thủ tục khám bệnh, chữa bệnh bảo hiểm y tế áp dụng cho người có thẻ bảo hiểm y tế còn giá trị sử dụng.
Hợp đồng khám bệnh, chữa bệnh bảo hiểm y tế được ký giữa cơ sở y tế và cơ quan bảo hiểm xã hội.
"""

# Health-sector procedure names (real titles on the national portal and their
# usual variants), used as stems for 1,000 distinct procedure titles.
PROCEDURE_TITLES = [
    "Cấp Giấy chứng sinh",
    "Cấp lại Giấy chứng sinh",
    "Cấp bản tóm tắt hồ sơ bệnh án",
    "Thủ tục khám bệnh, chữa bệnh bảo hiểm y tế",
    "Ký hợp đồng khám bệnh, chữa bệnh bảo hiểm y tế",
    "Ký phụ lục hợp đồng khám bệnh, chữa bệnh bảo hiểm y tế",
    "Đề nghị mang thai hộ vì mục đích nhân đạo",
    "Cấp giấy báo tử",
    "Khám sức khỏe định kỳ",
    "Khám sức khỏe cho người lái xe",
    "Cấp giấy chứng nhận sức khỏe",
    "Cấp giấy chứng nhận nghỉ việc hưởng bảo hiểm xã hội",
    "Cấp giấy ra viện",
    "Cấp giấy chuyển tuyến khám bệnh, chữa bệnh bảo hiểm y tế",
    "Cấp giấy phép hành nghề khám bệnh, chữa bệnh",
    "Cấp giấy phép hoạt động đối với trạm y tế",
    "Công bố cơ sở đủ điều kiện thực hiện khám sức khỏe",
    "Cấp chứng chỉ hành nghề dược",
    "Cấp giấy chứng nhận đủ điều kiện kinh doanh dược",
    "Công bố tiêu chuẩn áp dụng thiết bị y tế loại A",
    "Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
    "Giám định y khoa lần đầu",
    "Phê duyệt thay đổi đề cương nghiên cứu thử thuốc trên lâm sàng",
    "Cấp giấy xác nhận nội dung quảng cáo mỹ phẩm",
    "Đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
    "Hỗ trợ chi phí khám, chữa bệnh cho người nghèo",
    "Tiêm chủng vắc xin dịch vụ",
    "Xác nhận tình trạng phơi nhiễm với HIV do tai nạn rủi ro nghề nghiệp",
    "Cấp giấy chứng nhận bị phơi nhiễm với HIV",
    "Cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
]
_TITLE_PREFIXES = ["", "Cấp lại ", "Điều chỉnh nội dung ", "Gia hạn ", "Thu hồi ", "Cấp đổi "]
_TITLE_SUFFIXES = [
    "", " tại trạm y tế xã", " tại bệnh viện đa khoa", " tại trung tâm y tế khu vực",
    " đối với người nước ngoài", " cho người có công", " theo hình thức trực tuyến",
    " đối với trường hợp bị mất", " cho hộ gia đình", " cho học sinh, sinh viên",
]

_SURNAMES = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trịnh Mai Lương".split()
_MIDDLE = "Văn Thị Hữu Đức Minh Ngọc Thanh Quốc Xuân Thu Kim Bảo".split()
_GIVEN = (
    "An Bình Cường Dũng Giang Hà Hải Hạnh Hiếu Hoa Hòa Hùng Hương Khánh Lan Linh Long Mai Nam Nga "
    "Phong Phúc Quang Quân Sơn Tâm Thảo Thủy Trang Trung Tuấn Uyên Vân Việt Yến Thúy Toàn Khoa Huy"
).split()
_PLACES = (
    "Sơn Trà|Liên Chiểu|Hải Châu|Ngũ Hành Sơn|Tu Mơ Rông|Hòa Vang|Thanh Khê|Cẩm Lệ|Hội An|Tam Kỳ|"
    "Quảng Ngãi|Kon Tum|Đắk Tô|Sa Thầy|Đăk Hà|Ba Tơ|Sơn Hà|Lý Sơn|Bình Sơn|Đức Phổ|Mộ Đức|Nghĩa Hành|"
    "Tư Nghĩa|Minh Long|Trà Bồng|Sơn Tây|Hòa Khánh|Hòa Minh|An Hải|Mỹ An|Khuê Mỹ|Thọ Quang|Nại Hiên Đông|"
    "Phước Mỹ|Mân Thái|Hòa Quý|Hòa Hải|Thủy Nguyên|Khánh Hòa|Hòa Bình|Thuận Hóa|Quy Nhơn|Pleiku|Buôn Ma Thuột"
).split("|")
_DEPARTMENTS = [
    "Khoa Khám bệnh", "Khoa Nội tổng hợp", "Khoa Ngoại", "Khoa Sản", "Khoa Nhi", "Khoa Hồi sức cấp cứu",
    "Khoa Dược", "Khoa Xét nghiệm", "Khoa Chẩn đoán hình ảnh", "Khoa Y học cổ truyền",
    "Khoa Kiểm soát bệnh tật", "Phòng Kế hoạch tổng hợp", "Phòng Tổ chức hành chính",
    "Phòng Tài chính kế toán", "Phòng Điều dưỡng", "Khoa Dinh dưỡng", "Khoa Truyền nhiễm",
]
_AGENCIES = ["QĐ-BYT", "QĐ-UBND", "KH-SYT", "TT-BYT", "NĐ-CP", "KH-TTYT", "QĐ-SYT", "CV-BV", "TB-TTYT"]
_NEWS_TOPICS = [
    "cải cách hành chính", "chuyển đổi số", "bệnh án điện tử", "bảo hiểm y tế", "một cửa",
    "dịch vụ công trực tuyến", "khám sức khỏe", "tiêm chủng", "hiến máu", "sự hài lòng người bệnh",
    "thanh toán không dùng tiền mặt", "giấy chứng sinh", "phòng chống dịch", "an toàn thực phẩm",
    "quy tắc ứng xử", "kỷ luật, kỷ cương", "tự chủ tài chính", "sắp xếp bộ máy",
]
_NEWS_VERBS = [
    "Triển khai", "Đẩy mạnh", "Tăng cường", "Sơ kết", "Tổng kết", "Hội nghị về", "Tập huấn",
    "Kiểm tra", "Nâng cao hiệu quả", "Tuyên truyền", "Khảo sát", "Ra mắt mô hình",
]

_OLD_STYLE = {"hòa": "hoà", "Hòa": "Hoà", "thủy": "thuỷ", "Thủy": "Thuỷ", "Ủy": "Uỷ", "ủy": "uỷ",
              "khỏe": "khoẻ", "hóa": "hoá", "xóa": "xoá", "tùy": "tuỳ", "Thúy": "Thuý", "quý": "quý"}


@dataclass
class Item:
    kind: str  # "news" | "procedure"
    slug: str
    title: str
    summary: str
    sections: list[tuple[str, list[str]]]  # (heading, paragraphs); heading "" = before any heading
    date: date
    code: str | None = None  # procedure code "1.014331"
    tags: list[str] = field(default_factory=list)
    form: str = "NFC"  # how the text is stored: "NFC" | "NFD"
    old_tones: bool = False

    @property
    def words(self) -> int:
        return sum(len(p.split()) for _, ps in self.sections for p in ps)


class _Chain:
    """Word-level Markov chain of order 2 with sentence restarts."""

    def __init__(self, text: str):
        self.starts: list[tuple[str, str]] = []
        self.next: dict[tuple[str, str], list[str]] = {}
        for line in text.strip().splitlines():
            w = line.split()
            if len(w) < 3:
                continue
            self.starts.append((w[0], w[1]))
            for a, b, c in zip(w, w[1:], w[2:] + ["\n"]):
                self.next.setdefault((a, b), []).append(c)

    def sentence(self, rng: random.Random, max_words: int = 40) -> list[str]:
        a, b = rng.choice(self.starts)
        out = [a, b]
        while len(out) < max_words:
            c = rng.choice(self.next.get((a, b), ["\n"]))
            if c == "\n":
                break
            out.append(c)
            a, b = b, c
        if not out[-1].endswith((".", ";", ":")):
            out[-1] = out[-1].rstrip(",") + "."
        return out


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_SURNAMES)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"


def _docno(rng: random.Random, year: int) -> str:
    return f"{rng.randint(1, 3999)}/{year}/{rng.choice(_AGENCIES)}" if rng.random() < 0.4 else f"{rng.randint(1, 3999)}/{rng.choice(_AGENCIES)}"


def _sprinkle(rng: random.Random, words: list[str], year: int) -> list[str]:
    """Insert the tokens that make a real vocabulary large: names, places, numbers, dates."""
    r = rng.random()
    end = words[-1][-1] if words[-1][-1] in ".;:" else ""
    if end:
        words[-1] = words[-1][:-1]
    words.append("")  # placeholder: the inserted tokens go before it, then it takes the stop back
    if r < 0.10:
        words[-1:-1] = ["ông" if rng.random() < 0.5 else "bà", *_person(rng).split()]
    elif r < 0.20:
        words[-1:-1] = ["tại", *rng.choice(_PLACES).split()]
    elif r < 0.28:
        d = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        words[-1:-1] = ["ngày", f"{d.day:02d}/{d.month:02d}/{d.year}"]
    elif r < 0.34:
        words[-1:-1] = ["theo", "văn", "bản", "số", _docno(rng, year)]
    elif r < 0.40:
        words[-1:-1] = [f"{rng.randint(2, 999)}", rng.choice(["lượt", "hồ", "người", "ca", "trẻ", "cán"])]
    elif r < 0.46:
        words[-1:-1] = ["của", *rng.choice(_DEPARTMENTS).split()]
    words.pop()
    words[-1] += end
    return words


def _paragraph(chain: _Chain, rng: random.Random, n_words: int, year: int) -> str:
    out: list[str] = []
    while len(out) < n_words:
        out.extend(_sprinkle(rng, chain.sentence(rng), year))
    return " ".join(out)


def _paragraphs(chain: _Chain, rng: random.Random, total: int, year: int) -> list[str]:
    ps, n = [], 0
    while n < total:
        p = _paragraph(chain, rng, rng.randint(40, 110), year)
        ps.append(p)
        n += len(p.split())
    return ps


def _old_style(s: str) -> str:
    for new, old in _OLD_STYLE.items():
        s = s.replace(new, old)
    return s


def _apply_form(item: Item) -> Item:
    conv = (lambda s: s)
    if item.old_tones:
        conv = _old_style
    if item.form == "NFD":
        base = conv
        conv = lambda s: unicodedata.normalize("NFD", base(s))  # noqa: E731
    item.title = conv(item.title)
    item.summary = conv(item.summary)
    item.sections = [(conv(h), [conv(p) for p in ps]) for h, ps in item.sections]
    return item


def _slug(s: str) -> str:
    from cchc.text import slugify

    return slugify(s, max_length=60)


_KNOWN_CODES = ["1.014331", "1.014332", "1.014128", "1.014193", "1.014138", "1.014139", "1.014527"]


def procedure_codes(n: int, seed: int) -> list[str]:
    """`n` distinct codes of the national pattern ^[1-9]\\.\\d{6}$, the real health codes first."""
    rng = random.Random(seed * 7919 + 1)
    codes = list(_KNOWN_CODES[:n])
    seen = set(codes)
    while len(codes) < n:
        first = rng.choices("12356", weights=[1946, 348, 237, 41, 70])[0]
        c = f"{first}.{rng.randint(0, 14999):06d}"
        if c not in seen:
            seen.add(c)
            codes.append(c)
    return codes


def generate(n_news: int = 5000, n_procedures: int = 1000, seed: int = 2026, start: date = date(2019, 1, 1)) -> list[Item]:
    """The corpus: `n_news` news items (300–850 words) and `n_procedures` procedures (1,450–2,000 words)."""
    rng = random.Random(seed)
    news_chain = _Chain(_TRAINING)
    proc_chain = _Chain(_PROCEDURE_TEXT + _TRAINING)
    items: list[Item] = []
    span = max(1, (date(2026, 4, 30) - start).days)
    seen: set[str] = set()

    for i in range(n_news):
        d = start + timedelta(days=int(span * i / max(1, n_news)) + rng.randint(0, 2))
        topic = rng.choice(_NEWS_TOPICS)
        where = rng.choice(_PLACES)
        title = f"{rng.choice(_NEWS_VERBS)} {topic} tại {rng.choice(['Trung tâm Y tế khu vực', 'Bệnh viện đa khoa', 'Trạm Y tế xã'])} {where} năm {d.year}"
        slug = _slug(title)
        k = 2
        base = slug
        while slug in seen:
            slug = f"{base}-{k}"
            k += 1
        seen.add(slug)
        summary = " ".join(news_chain.sentence(rng, 30))
        total = rng.randint(300, 850)
        body = _paragraphs(news_chain, rng, total, d.year)
        sections = [("", body)]
        item = Item(
            kind="news", slug=slug, title=title, summary=summary, sections=sections, date=d,
            tags=[topic], form="NFD" if rng.random() < 0.05 else "NFC", old_tones=rng.random() < 0.10,
        )
        items.append(_apply_form(item))

    codes = procedure_codes(n_procedures, seed)
    titles: list[str] = []
    for pre in _TITLE_PREFIXES:
        for suf in _TITLE_SUFFIXES:
            for t in PROCEDURE_TITLES:
                tt = (pre + t[0].lower() + t[1:]) if pre else t
                titles.append((tt + suf)[0].upper() + (tt + suf)[1:])
    headings = [
        "Trình tự thực hiện", "Cách thức thực hiện", "Thành phần, số lượng hồ sơ", "Thời hạn giải quyết",
        "Đối tượng thực hiện", "Cơ quan thực hiện", "Kết quả thực hiện", "Phí, lệ phí",
        "Yêu cầu, điều kiện thực hiện", "Căn cứ pháp lý",
    ]
    for i, code in enumerate(codes):
        title = titles[i % len(titles)] if i < len(titles) else f"{titles[i % len(titles)]} (mã {code})"
        d = start + timedelta(days=rng.randrange(span))
        total = rng.randint(1450, 2000)
        per = total // len(headings)
        sections = [(h, _paragraphs(proc_chain, rng, per, d.year)) for h in headings]
        summary = f"Mã thủ tục {code}. " + " ".join(proc_chain.sentence(rng, 30))
        slug = code.replace(".", "-") + "-" + _slug(title)
        item = Item(
            kind="procedure", slug=slug, title=title, summary=summary, sections=sections, date=d, code=code,
            form="NFD" if rng.random() < 0.05 else "NFC", old_tones=rng.random() < 0.10,
        )
        items.append(_apply_form(item))
    return items
