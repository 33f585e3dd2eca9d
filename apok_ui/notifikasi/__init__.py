"""Notifications: which messages a committed change causes (kabar), the queue they wait in (antrian), and the one
sender that delivers them after the commit over SMTP or a WhatsApp gateway (pengirim, saluran)."""
