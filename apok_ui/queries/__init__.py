"""Reads: the questions the screens ask, one module per audience (officer workspace, Lihat Data, admin, citizen
portal, monitoring, sessions). Nothing here writes; apok_ui/services/ is the only writer."""
