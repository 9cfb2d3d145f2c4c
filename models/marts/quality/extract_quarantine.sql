-- The rows of the delivery that the extract gate kept out of the warehouse, with the
-- rule that caught them and the row as delivered; gated_at says when.
with

quarantined as (

    select * from {{ ref('stg_extract_gate__quarantined_rows') }}

),

deliveries as (

    select * from {{ ref('stg_extract_gate__deliveries') }}

),

final as (

    select
        cast(quarantined.extract as varchar) as extract,
        cast(quarantined.source_line as bigint) as line,
        cast(quarantined.rule as varchar) as rule,
        cast(quarantined.column_name as varchar) as "column",
        cast(quarantined.delivered_row as varchar) as "row",
        cast(quarantined.all_rules as varchar) as all_rules,
        deliveries.gated_at

    from quarantined
    left join deliveries
        on quarantined.extract = deliveries.extract

)

select * from final
