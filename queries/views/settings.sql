-- Configuration values shipped beside the standards (greeting window ...). No parameters besides scope.
select key, value from settings order by key
