"""Tiered Service Supervision Dashboard (分层服务监督看板): the core shared by the pages, the CLI and the tests."""
