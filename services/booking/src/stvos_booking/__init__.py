"""stvos booking service: availability, slots, bookings, class participations and subscriptions."""
