"""One function per part of a page: headline metrics, charts and tables laid out together from
`services`, `charts` and `widgets`, so a page file only orders its sections."""
