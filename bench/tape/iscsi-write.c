/*
 * iscsi-write: the libiscsi baseline of `cairn bench tape` (compiled at run time; no binary is committed).
 * Writes COUNT blocks of BS bytes to one LUN over one iSCSI session with synchronous commands, as
 * Cairn's initiator does, and prints "MBps <rate> seconds <s>".
 *   tape: REWIND, then WRITE(6) variable-length blocks
 *   disk: WRITE(10) at consecutive LBAs (512-byte sectors)
 * usage: iscsi-write iscsi://HOST:PORT/IQN/LUN tape|disk BS COUNT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>
#include <iscsi/iscsi.h>
#include <iscsi/scsi-lowlevel.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int run(struct iscsi_context *c, int lun, unsigned char *cdb, int cdb_len, int dir, unsigned char *buf, int len) {
    struct scsi_task *task = scsi_create_task(cdb_len, cdb, dir, len);
    struct iscsi_data d = {.size = len, .data = buf};
    struct scsi_task *r = iscsi_scsi_command_sync(c, lun, task, len ? &d : NULL);
    int ok = r != NULL && task->status == SCSI_STATUS_GOOD;
    scsi_free_scsi_task(task);
    return ok;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s iscsi://HOST:PORT/IQN/LUN tape|disk BS COUNT\n", argv[0]);
        return 2;
    }
    int tape = strcmp(argv[2], "tape") == 0;
    long bs = atol(argv[3]), count = atol(argv[4]);
    struct iscsi_context *c = iscsi_create_context("iqn.2026-11.dev.cairn:bench-libiscsi");
    struct iscsi_url *url = iscsi_parse_full_url(c, argv[1]);
    if (url == NULL) {
        fprintf(stderr, "bad url: %s\n", iscsi_get_error(c));
        return 2;
    }
    iscsi_set_targetname(c, url->target);
    iscsi_set_session_type(c, ISCSI_SESSION_NORMAL);
    iscsi_set_header_digest(c, ISCSI_HEADER_DIGEST_NONE);
    if (iscsi_full_connect_sync(c, url->portal, url->lun) != 0) {
        fprintf(stderr, "login failed: %s\n", iscsi_get_error(c));
        return 1;
    }
    unsigned char *buf = malloc(bs);
    for (long i = 0; i < bs; i++) {
        buf[i] = (unsigned char) (i * 31 + 7);
    }
    unsigned char tur[6] = {0};
    for (int i = 0; i < 3; i++) {
        run(c, url->lun, tur, 6, SCSI_XFER_NONE, NULL, 0); /* clear the unit attention of a new session */
    }
    if (tape) {
        unsigned char rewind[6] = {0x01, 0, 0, 0, 0, 0};
        if (!run(c, url->lun, rewind, 6, SCSI_XFER_NONE, NULL, 0)) {
            fprintf(stderr, "REWIND failed\n");
            return 1;
        }
    }
    double t0 = now();
    for (long i = 0; i < count; i++) {
        unsigned char cdb[10] = {0};
        int len;
        if (tape) {
            cdb[0] = 0x0a;
            cdb[2] = (bs >> 16) & 0xff;
            cdb[3] = (bs >> 8) & 0xff;
            cdb[4] = bs & 0xff;
            len = 6;
        } else {
            uint32_t lba = (uint32_t) (i * (bs / 512));
            uint16_t blocks = (uint16_t) (bs / 512);
            cdb[0] = 0x2a;
            cdb[2] = lba >> 24;
            cdb[3] = lba >> 16;
            cdb[4] = lba >> 8;
            cdb[5] = lba;
            cdb[7] = blocks >> 8;
            cdb[8] = blocks;
            len = 10;
        }
        if (!run(c, url->lun, cdb, len, SCSI_XFER_WRITE, buf, (int) bs)) {
            fprintf(stderr, "write %ld failed: %s\n", i, iscsi_get_error(c));
            return 1;
        }
    }
    double dt = now() - t0;
    printf("MBps %.1f seconds %.3f\n", (double) bs * count / dt / 1e6, dt);
    free(buf);
    iscsi_logout_sync(c);
    iscsi_destroy_context(c);
    return 0;
}
