-- The delivery this warehouse was built from: per extract, rows delivered = rows
-- validated + rows quarantined, and the file's SHA-256.
with

deliveries as (

    select * from {{ ref('stg_extract_gate__deliveries') }}

),

final as (

    select
        cast(extract as varchar) as extract,
        cast(file as varchar) as file,
        cast(status as varchar) as status,
        cast(rows_in as bigint) as rows_in,
        cast(rows_validated as bigint) as rows_validated,
        cast(rows_quarantined as bigint) as rows_quarantined,
        cast(sha256 as varchar) as sha256,
        gated_at,
        cast(acknowledged as varchar) as acknowledged

    from deliveries

)

select * from final
