"""Qt's own texts in Simplified Chinese: Qt's translation, plus the few strings it lacks.

Qt ships ``qtbase_zh_CN``, but some labels of its file and print dialogs are untranslated
there ("Look in:", "Files of type:", "Page Set:" …) and would show in English in a program that
is Chinese throughout. ``MissingQtStrings`` answers those and nothing else; for every other
text it returns no translation, which makes Qt ask the next translator.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTranslator
from PySide6.QtWidgets import QApplication

MISSING: dict[str, str] = {
    "&Look in:": "查找范围(&L)：",
    "Look in:": "查找范围：",
    "Files of &type:": "文件类型(&T)：",
    "Files of type:": "文件类型：",
    "Folder": "文件夹",
    "Page &Set:": "打印页面(&S)：",
    "Page Set:": "打印页面：",
    "Page &order:": "页面顺序(&O)：",
    "Pages &per sheet:": "每张页数(&P)：",
    "All Pages": "全部页面",
    "Odd Pages": "奇数页",
    "Even Pages": "偶数页",
}


class MissingQtStrings(QTranslator):
    def translate(
        self,
        context: str,
        source_text: str,
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str | None:
        # None reaches Qt as a null string, "no translation here"; "" would replace the text
        return MISSING.get(source_text)


def install_chinese_translation(app: QApplication, parent: QObject | None = None) -> None:
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt = QTranslator(parent or app)
    if qt.load("qtbase_zh_CN", folder):
        app.installTranslator(qt)
    # installed last, asked first; it answers only what Qt's translation lacks
    app.installTranslator(MissingQtStrings(parent or app))
