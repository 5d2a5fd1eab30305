-- Connect tickets are signed since protocol 5 (workers/auth/connect-tickets.ts); nothing reads this table.
DROP TABLE `connect_tickets`;