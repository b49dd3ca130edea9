-- is_leap(y): whether year y has a 29 February (greeting birthdays, SPEC §3). A scalar macro stored in the database.
create or replace macro is_leap(y) as (y % 4 = 0 and y % 100 <> 0) or y % 400 = 0;
