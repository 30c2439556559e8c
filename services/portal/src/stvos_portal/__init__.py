"""stvos portal service: the trainer's CRM, dashboard and video sessions."""
