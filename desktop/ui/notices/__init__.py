"""上级文件: the notice screen, the import screen and the measure correction dialog.

``page.NoticesPage`` is the area of the main window; it shows a saved notice measure by
measure (``browser``) and switches to the import screen (``import_page``) to bring in a new
one. Both show the notice as a tree through ``tree_model.NoticeTreeModel``.
"""
