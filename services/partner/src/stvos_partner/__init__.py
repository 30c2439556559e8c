"""stvos partner service: partner staff, vouchers and the admin API that runs a tenant."""
