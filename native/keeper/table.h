/*
 * The shared in-flight table (docs/keeper.md, "Shared in-flight table"): a memfd the supervisor
 * writes and the keeper maps read-only. Native endianness, every field naturally aligned:
 *   header; then slots x { char tree_id[TBL_ID_BYTES] (NUL-padded); u64 last_id;
 *                          ring x struct tbl_ent }
 * The Java side (InFlightTable) is checked against these numbers by InFlightTableLayoutTest.
 */
#ifndef KEEPER_TABLE_H
#define KEEPER_TABLE_H

#include <stdint.h>

#define TBL_MAGIC 0x4154544bU /* 'ATTK' */
#define TBL_VERSION 2U        /* 1 was the draft layout (slot header 64 bytes, no last_id, 16-byte entries) */
#define TBL_HEADER 16         /* sizeof(struct tbl_header) */
#define TBL_ID_BYTES 64       /* a slot's tree_id; 64 characters fill it */
#define TBL_SLOT_HEADER 72    /* tree_id + u64 last_id */
#define TBL_ENTRY 24          /* sizeof(struct tbl_ent) */
#define TBL_MAX_SLOTS 65536
#define TBL_MAX_RING 4096

struct tbl_header { uint32_t magic, version, slots, ring; };
struct tbl_ent { uint64_t id; uint32_t nr, arch, pid, reserved; };

_Static_assert(sizeof(struct tbl_header) == TBL_HEADER, "table header size");
_Static_assert(sizeof(struct tbl_ent) == TBL_ENTRY, "table entry size");
_Static_assert(TBL_SLOT_HEADER == TBL_ID_BYTES + sizeof(uint64_t), "slot header: tree_id then last_id");

#endif
