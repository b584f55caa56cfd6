"""The importer's reasons and warnings (plain English from the core) in the words an editor reads.

Patterns are data: each refusal the core or the input reader can give, matched whole; a
reason nobody has put here yet is shown as it was written rather than hidden.
"""
import re

REASONS = [(re.compile(pattern), label) for pattern, label in [
    (r"empty file", "空文件"),
    (r"binary data \(NUL bytes\), not a text page", "二进制数据（含 NUL 字节），不是文本页面"),
    (r"binary data \(control characters\), not a text page", "二进制数据（含控制字符），不是文本页面"),
    (r"no text after decoding", "解码后没有文字"),
    (r"undecodable: not UTF-8, UTF-16, GB18030 or Big5", "无法解码：不是 UTF-8、UTF-16、GB18030 或 Big5 编码"),
    (r"undecodable: best guess (\S+) gives no plausible Chinese", r"无法解码：按 \1 解码也不像中文"),
    (r"invalid (\S+) after its byte order mark: (.*)", r"字节顺序标记之后不是有效的 \1（\2）"),
    (r"too large: (\d+) bytes \(limit (\d+)\)", r"文件太大：\1 字节（上限 \2 字节）"),
    (r"too large: more than (\d+) bytes", r"文件太大：超过 \1 字节"),
    (r"symbolic link: not followed", "符号链接，不读取"),
    (r"symbolic link inside the archive: refused", "压缩包里的符号链接，不读取"),
    (r"archive inside an archive: not extracted", "压缩包里的压缩包，不解压"),
    (r"absolute or Windows path in archive", "压缩包里有绝对路径或 Windows 路径，不解压"),
    (r"path escapes the archive's folder \(\.\.\)", "路径跳出压缩包的目录（..），不解压"),
    (r"compression ratio (\d+):1 looks like a zip bomb", r"压缩比 \1:1，疑似压缩炸弹，不解压"),
    (r"zip has (\d+) entries \(limit (\d+)\)", r"压缩包有 \1 个文件（上限 \2）"),
    (r"zip would expand to (\d+) bytes \(limit (\d+)\)", r"压缩包解压后有 \1 字节（上限 \2）"),
    (r"not a readable zip archive: (.*)", r"不是可读的 zip 压缩包（\1）"),
    (r"cannot read: (.*)", r"无法读取（\1）"),
    (r"page too deeply nested to read.*", "页面嵌套太深，无法读取"),
    (r"database refused it: (.*)", r"数据库拒绝写入（\1）"),
]]

WARNINGS = {
    "no date found": "没有找到发布时间",
    "no source found": "没有找到来源",
    "no body found": "没有找到正文",
    "body looks truncated": "正文似乎不完整",
    "body is very short": "正文很短",
    "region guessed from the site's footer": "地区按网站页脚推测",
    "title guessed": "标题是推测的",
    "body found by text density (no body below the header)": "正文按文字密度找到（标题下方没有正文）",
    "body much shorter than the page's prose": "正文比页面上的文字短得多，可能不完整",
    "only the month of the issue is printed: dated the 1st": "原文只印了期号的月份：日期记为当月 1 日",
}


def _translated(text: str, patterns) -> str | None:
    for pattern, label in patterns:
        if match := pattern.fullmatch(text):
            return match.expand(label)
    return None


def reason_label(reason: str) -> str:
    return _translated(reason, REASONS) or reason


# Warnings that carry a value (articles/ingest/checks.py).
WARNING_PATTERNS = [(re.compile(p), label) for p, label in [
    (r"removed (\d+) characters a database cannot store \(NUL or lone surrogates\) from (.*)",
     r"删除了 \1 个数据库无法保存的字符（NUL 或孤立代理项）"),
    (r"view count (\d+) is not a real count: dropped", r"点击量 \1 不可能是真实数字，已舍弃"),
    (r"date (\S+) is out of range \((.*)\): dropped", r"日期 \1 超出范围（\2），已舍弃"),
    (r"source name of (\d+) characters is not a name: dropped", r"来源名称长 \1 个字符，不像名称，已舍弃"),
    (r"tags longer than (\d+) characters dropped", r"超过 \1 个字符的标签已舍弃"),
]]


def warning_label(warning: str) -> str:
    return WARNINGS.get(warning) or _translated(warning, WARNING_PATTERNS) or warning


def warnings_label(warnings: str, sep: str = "；") -> str:
    return sep.join(warning_label(w) for w in warnings.split(sep) if w)
