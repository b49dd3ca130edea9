-- Completed service records per customer, service and day (SPEC §5: cancelled records never count).
-- The evidence counts that obligations sum over their periods, and that open obligations sum up to the
-- as-of date. No parameters.
select customer_id, service_code, service_time::date as day, count(*)::integer as records
from service_logs
where status = 'completed'
group by all
