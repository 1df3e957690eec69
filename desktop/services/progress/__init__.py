"""进展填报 through the year: reporting periods, progress entry and its unsaved safety
copies, computed status and the "截至" date, freezing a period, 销号 and 结转."""
