with

days as (

    {{ dbt.date_spine(
        datepart="day",
        start_date="cast('" ~ var('calendar_start') ~ "' as date)",
        end_date=dbt.dateadd('day', 1, "cast('" ~ var('calendar_end') ~ "' as date)")
    ) }}

),

final as (

    select
        cast(date_day as date) as date_day,
        cast({{ dbt.date_trunc('month', 'date_day') }} as date) as month_start,
        cast({{ dbt.last_day('date_day', 'month') }} as date) as month_end,
        cast(extract(year from date_day) as integer) as calendar_year,
        cast(extract(month from date_day) as integer) as calendar_month,
        cast(
            case
                when extract(month from date_day) >= 4 then extract(year from date_day)
                else extract(year from date_day) - 1
            end as integer
        ) as financial_year_start

    from days

)

select * from final
