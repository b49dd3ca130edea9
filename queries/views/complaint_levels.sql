-- Complaint levels and their time limits, with the tiers mapped to each (SPEC §3). No parameters besides scope.
select l.level, string_agg(t.tier, ' / ' order by t.rank) as tiers, l.first_contact_hours, l.resolve_hours,
       l.return_visit_days
from complaint_levels as l
left join tiers as t on t.complaint_level = l.level
group by all
order by l.level
