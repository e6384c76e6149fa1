/* qtz EL3 monitor: the secure monitor of `qtz linux` for QEMU virt (secure=on), loaded with -bios.
 * - sets up EL3 vectors, GICv2 groups, SCR_EL3, drops to EL2 (or EL1) at KERNEL with x0=DTB
 * - PSCI (owner 4) and Arm arch calls (owner 0) answered locally
 * - every other SMC forwarded through a mailbox page in non-secure RAM to qtz (src/Qtz.Linux/Bridge),
 *   which maps the guest's RAM file; the doorbell is the secure PL011, a unix socket on qtz's side.
 * Built by `qtz linux setup` with aarch64-linux-gnu-gcc: monitor-el2.bin and monitor-el1.bin.
 * The mailbox layout is defined once more in src/Qtz.Linux/Bridge/Mailbox.cs: keep them equal. */
#ifndef KERNEL
#define KERNEL 0x40200000
#endif
#ifndef DTB
#define DTB 0x44000000
#endif
#ifndef ENTRY_EL
#define ENTRY_EL 2
#endif
#ifndef DOORBELL
#define DOORBELL 1
#endif
#define UART1     0x09040000          /* secure PL011 -> host doorbell chardev */
#define MBOX      0x7ffff000
#define STACK_TOP 0x0e010000          /* virt secure SRAM (secure=on) */
#define GICD      0x08000000
#define GICC      0x08010000
#define UART0     0x09000000
#define HOST_MAGIC 0x54534f484d5a5451 /* "QTZMHOST" */
/* mailbox layout */
#define MB_MAGIC   0x00
#define MB_REQSEQ  0x08
#define MB_RSPSEQ  0x10
#define MB_CALLER  0x18
#define MB_REQ     0x20   /* x0..x17 */
#define MB_RSP     0xb0   /* x0..x3, then x6 at +0x20 (the session word of an INTERRUPTED call) */
#define MB_ST_N    0x100  /* self-test: iterations */
#define MB_ST_TICK 0x108  /* self-test: CNTPCT delta */
#define MB_ST_FRQ  0x110
#define MB_NCALLS  0x118  /* forwarded SMC count */
#define MB_NLOCAL  0x120  /* locally answered SMC count */
#define MB_IRQREQ  0x128  /* host -> stub: GIC INTID to set pending (doorbell byte 'I') */
#define MB_IRQCNT  0x130  /* injections performed */
#define MB_HOSTSPIN 0x138 /* qtz: 1 while it spins on REQSEQ (the monitor then rings no 'Q') */
#define MB_WAITING 0x140  /* monitor: 1 while it sleeps in WFI for the answer (qtz then rings 'R') */
#define MB_NOSPIN  0x148  /* monitor: calls left that sleep without spinning (after a spin that failed) */
/* The monitor spins on RSPSEQ before it sleeps: an answer within the spin needs no 'R', so no wake-up of
 * QEMU's I/O thread and of this vCPU (that path alone costs 50-100 us on a loaded host; qtz spins on REQSEQ
 * for 100 us after an answer, so back-to-back SMCs stay on the fast path). SPIN_TICKS = 100 us of QEMU
 * virt's 62.5 MHz counter. A spin that fails means qtz's thread had no core (on a loaded host, often
 * because this vCPU holds the one they share): the next SPIN_BACKOFF calls spin only SPIN_SHORT (10 us),
 * enough to catch a spinning qtz and return to full spins, cheap when qtz needs this core. */
#define SPIN_TICKS 6250
#define SPIN_SHORT 625
#define SPIN_BACKOFF 8

/* set GICD_ISPENDR bit for INTID in MB_IRQREQ (secure write works for Group1 SPIs too); preserves all regs */
.macro INJECT
	stp	x0, x1, [sp, #-32]!
	stp	x2, x3, [sp, #16]
	ldr	x0, =MBOX
	ldr	x1, [x0, #MB_IRQREQ]
	ldr	x2, [x0, #MB_IRQCNT]
	add	x2, x2, #1
	str	x2, [x0, #MB_IRQCNT]
	lsr	x2, x1, #5
	and	x1, x1, #31
	mov	x3, #1
	lsl	x3, x3, x1
	ldr	x0, =(GICD + 0x200)
	str	w3, [x0, x2, lsl #2]
	ldp	x2, x3, [sp, #16]
	ldp	x0, x1, [sp], #32
.endm
#define ST_ITER 200

	.text
	.global _start
_start:
	ldr	x0, =STACK_TOP
	mov	sp, x0
	adr	x0, vectors
	msr	vbar_el3, x0
	isb
	/* SCR_EL3: NS | RES1(5:4) | HCE | RW ; SMD=0, IRQ/FIQ/EA not routed to EL3. For newer CPUs (-cpu max in
	 * KVM mode) also APK|API, FGTEn, ECVEn, HXEn, so a kernel at EL2 using them does not trap here; a CPU
	 * without the feature ignores its bit (QEMU masks SCR_EL3 by the CPU's features). */
#if DOORBELL
	ldr	x0, =((1<<0)|(1<<2)|(3<<4)|(1<<8)|(1<<10)|(3<<16)|(1<<27)|(1<<28)|(1<<38))   /* + FIQ routed to EL3 */
#else
	ldr	x0, =((1<<0)|(3<<4)|(1<<8)|(1<<10)|(3<<16)|(1<<27)|(1<<28)|(1<<38))
#endif
	msr	scr_el3, x0
	mov	x0, #(1<<8)              /* CPTR_EL3: EZ (SVE untrapped where present), FP untrapped */
	msr	cptr_el3, x0
	msr	mdcr_el3, xzr
	ldr	x0, =0x30c50830
	msr	sctlr_el2, x0
	msr	cntvoff_el2, xzr
	mrs	x0, midr_el1
	msr	vpidr_el2, x0
	mrs	x0, mpidr_el1
	msr	vmpidr_el2, x0
	/* GICv2: all interrupts Group1 (non-secure), PMR open */
	ldr	x0, =GICD
	ldr	w1, [x0, #4]
	and	w1, w1, #0x1f
	add	w1, w1, #1
	mov	w2, #0xffffffff
	mov	x3, #0x80
1:	str	w2, [x0, x3]
	add	x3, x3, #4
	subs	w1, w1, #1
	b.ne	1b
	ldr	x0, =GICC
	mov	w2, #0xff
	str	w2, [x0, #4]
#if DOORBELL
	/* secure UART RX (SPI 8 = INTID 40) -> Group0 FIQ, prio 0, cpu0, enabled */
	ldr	x0, =GICD
	ldr	w1, [x0, #0x84]
	bic	w1, w1, #(1<<8)
	str	w1, [x0, #0x84]
	strb	wzr, [x0, #(0x400+40)]
	mov	w1, #1
	strb	w1, [x0, #(0x800+40)]
	mov	w1, #(1<<8)
	str	w1, [x0, #0x104]
	mov	w1, #3
	str	w1, [x0]                 /* GICD_CTLR: EnableGrp0|EnableGrp1 */
	ldr	x0, =GICC
	mov	w1, #0xb
	str	w1, [x0]                 /* GICC_CTLR(S): EnableGrp0|EnableGrp1|FIQEn */
	ldr	x0, =UART1
	mov	w1, #(1<<4)
	str	w1, [x0, #0x38]          /* UARTIMSC: RXIM */
	ldr	w1, =0x301
	str	w1, [x0, #0x30]          /* UARTCR: UARTEN|TXE|RXE */
#endif
	adr	x0, banner
	bl	puts
	/* mailbox round-trip self test if a host responder is attached */
	ldr	x18, =MBOX
	ldr	x19, [x18, #MB_MAGIC]
	ldr	x20, =HOST_MAGIC
	cmp	x19, x20
	b.ne	2f
	adr	x0, hostmsg
	bl	puts
	mov	x24, #ST_ITER
	isb
	mrs	x25, cntpct_el0
3:	ldr	x0, =0xC2FFFF00      /* qtz private "ping" id */
	mov	x1, x24
	bl	mbox_call
	subs	x24, x24, #1
	b.ne	3b
	isb
	mrs	x26, cntpct_el0
	sub	x26, x26, x25
	ldr	x18, =MBOX
	mov	x0, #ST_ITER
	str	x0, [x18, #MB_ST_N]
	str	x26, [x18, #MB_ST_TICK]
	mrs	x0, cntfrq_el0
	str	x0, [x18, #MB_ST_FRQ]
	str	xzr, [x18, #MB_NCALLS]
	str	xzr, [x18, #MB_NLOCAL]
	adr	x0, stdone
	bl	puts
2:
#if ENTRY_EL == 1
	mov	x0, #((1<<31)|(1<<29))   /* HCR_EL2.RW | HCD */
	msr	hcr_el2, x0
	mov	x0, #3
	msr	cnthctl_el2, x0
	ldr	x0, =0x30d00800
	msr	sctlr_el1, x0
	mov	x4, #0x3c5               /* EL1h, DAIF masked */
#else
	mov	x4, #0x3c9               /* EL2h, DAIF masked */
#endif
	msr	spsr_el3, x4
	ldr	x4, =KERNEL
	msr	elr_el3, x4
	ldr	x0, =DTB
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	mov	x4, xzr
	eret

/* puts(x0): write NUL-terminated string to PL011 (clobbers x0-x2) */
puts:	ldr	x1, =UART0
1:	ldrb	w2, [x0], #1
	cbz	w2, 2f
	str	w2, [x1]
	b	1b
2:	ret

/* mbox_call: args x0..x17 -> results x0..x3 and x6 from host; clobbers x18-x23.
 * If no host attached returns x0 = -1 (SMCCC NOT_SUPPORTED). */
mbox_call:
	ldr	x18, =MBOX
	ldr	x19, [x18, #MB_MAGIC]
	ldr	x20, =HOST_MAGIC
	cmp	x19, x20
	b.ne	9f
	stp	x0, x1, [x18, #MB_REQ+0x00]
	stp	x2, x3, [x18, #MB_REQ+0x10]
	stp	x4, x5, [x18, #MB_REQ+0x20]
	stp	x6, x7, [x18, #MB_REQ+0x30]
	stp	x8, x9, [x18, #MB_REQ+0x40]
	stp	x10, x11, [x18, #MB_REQ+0x50]
	stp	x12, x13, [x18, #MB_REQ+0x60]
	stp	x14, x15, [x18, #MB_REQ+0x70]
	stp	x16, x17, [x18, #MB_REQ+0x80]
	mrs	x19, spsr_el3
	str	x19, [x18, #MB_CALLER]
	ldr	x19, [x18, #MB_NCALLS]
	add	x19, x19, #1
	str	x19, [x18, #MB_NCALLS]
	ldr	x19, [x18, #MB_REQSEQ]
	add	x19, x19, #1
	dmb	sy
	str	x19, [x18, #MB_REQSEQ]
#if DOORBELL
	/* TCG emits no barrier for DMB with one vCPU, so these handshakes cannot rely on store->load order:
	 * qtz re-checks REQSEQ and WAITING on a short timeout, which covers a lost 'Q' or 'R'. */
	ldr	x20, =UART1
	ldr	x21, [x18, #MB_HOSTSPIN]
	cbnz	x21, 4f                  /* qtz is spinning on REQSEQ: no doorbell */
	mov	w21, #'Q'
	str	w21, [x20]               /* ring host */
4:	ldr	x23, =SPIN_TICKS
	ldr	x21, [x18, #MB_NOSPIN]
	cbz	x21, 41f
	sub	x21, x21, #1             /* backing off after a failed spin: spin briefly only */
	str	x21, [x18, #MB_NOSPIN]
	ldr	x23, =SPIN_SHORT
41:	mrs	x22, cntpct_el0          /* spin on RSPSEQ */
	add	x22, x22, x23
5:	ldr	x23, [x18, #MB_RSPSEQ]
	cmp	x23, x19
	b.eq	7f
	mrs	x23, cntpct_el0
	cmp	x23, x22
	b.lo	5b
	cbnz	x21, 6f                  /* a short spin failed: keep backing off */
	mov	x23, #SPIN_BACKOFF
	str	x23, [x18, #MB_NOSPIN]
	b	6f
7:	str	xzr, [x18, #MB_NOSPIN]   /* answered while spinning: full spins again */
	b	8f
6:
	mov	x23, #1
	str	x23, [x18, #MB_WAITING]  /* then sleep; qtz rings 'R' once it sees WAITING */
	dmb	sy
	ldr	x21, =GICC
	ldr	w22, [x21, #4]           /* save PMR, mask everything but our prio-0 FIQ */
	mov	w23, #0x10
	str	w23, [x21, #4]
1:	ldr	x23, [x18, #MB_RSPSEQ]
	cmp	x23, x19
	b.eq	3f
	ldr	w23, [x20, #0x18]        /* UARTFR */
	tbz	w23, #4, 2f              /* RXFE clear -> a doorbell byte */
	wfi
	b	1b
2:	ldr	w23, [x20]               /* consume doorbell byte ('R' or a stale one) */
	cmp	w23, #'I'
	b.ne	1b
	INJECT                           /* async interrupt request arrived while waiting */
	b	1b
3:	str	w22, [x21, #4]           /* restore PMR */
	str	xzr, [x18, #MB_WAITING]
8:
#else
1:	ldr	x20, [x18, #MB_RSPSEQ]
	cmp	x20, x19
	b.eq	2f
	yield
	b	1b
2:
#endif
	dmb	sy
	ldp	x0, x1, [x18, #MB_RSP+0x00]
	ldp	x2, x3, [x18, #MB_RSP+0x10]
	ldr	x6, [x18, #MB_RSP+0x20]
	ret
9:	mov	x0, #-1
	ret

/* local PSCI / arch handling; x0 = function id. returns via eret path */
smc_handler:
	stp	x18, x19, [sp, #-64]!
	stp	x20, x21, [sp, #16]
	stp	x22, x23, [sp, #32]
	str	x30, [sp, #48]
	mrs	x18, esr_el3
	lsr	x18, x18, #26
	cmp	x18, #0x17              /* EC = SMC64 */
	b.ne	unexpected
	ubfx	x18, x0, #24, #6        /* SMCCC owner */
	cmp	x18, #4
	b.eq	psci
	cmp	x18, #0
	b.eq	notsup
	bl	mbox_call
	b	smc_ret
psci:	ldr	x18, =MBOX
	ldr	x19, [x18, #MB_NLOCAL]
	add	x19, x19, #1
	str	x19, [x18, #MB_NLOCAL]
	mov	w18, w0
	ldr	w19, =0x84000000        /* PSCI_VERSION */
	cmp	w18, w19
	b.ne	1f
	mov	x0, #0x10000            /* 1.0 */
	b	smc_ret
1:	add	w19, w19, #6            /* MIGRATE_INFO_TYPE */
	cmp	w18, w19
	b.ne	1f
	mov	x0, #2
	b	smc_ret
1:	add	w19, w19, #2            /* SYSTEM_OFF 0x84000008 */
	cmp	w18, w19
	b.eq	sysoff
	add	w19, w19, #1            /* SYSTEM_RESET 0x84000009 */
	cmp	w18, w19
	b.eq	sysoff
	add	w19, w19, #1            /* PSCI_FEATURES 0x8400000a */
	cmp	w18, w19
	b.ne	notsup
	ldr	w19, =0x84000000
	cmp	w1, w19
	b.eq	zero
	add	w19, w19, #8
	cmp	w1, w19
	b.eq	zero
	add	w19, w19, #2
	cmp	w1, w19
	b.eq	zero
notsup:	mov	x0, #-1
	b	smc_ret
zero:	mov	x0, #0
smc_ret:
	ldr	x30, [sp, #48]
	ldp	x22, x23, [sp, #32]
	ldp	x20, x21, [sp, #16]
	ldp	x18, x19, [sp], #64
	eret
/* stray doorbell FIQ taken from lower EL: drain secure UART RX and return */
fiq_handler:
	stp	x0, x1, [sp, #-16]!
	ldr	x0, =UART1
1:	ldr	w1, [x0, #0x18]
	tbnz	w1, #4, 2f
	ldr	w1, [x0]
	cmp	w1, #'I'
	b.ne	1b
	INJECT
	b	1b
2:	ldp	x0, x1, [sp], #16
	eret
sysoff:	adr	x0, offmsg
	bl	puts
	/* semihosting SYS_EXIT(ADP_Stopped_ApplicationExit, 0) */
	adr	x1, exitblk
	mov	x0, #0x18
	hlt	#0xf000
	b	.
unexpected:
	adr	x0, unexpmsg
	bl	puts
	b	.

	.balign 8
exitblk: .quad 0x20026, 0
banner:	.asciz "qtz-el3: stub up, dropping to kernel\r\n"
hostmsg: .asciz "qtz-el3: host responder attached, running mailbox self-test\r\n"
stdone:	.asciz "qtz-el3: self-test done\r\n"
offmsg:	.asciz "qtz-el3: PSCI SYSTEM_OFF/RESET\r\n"
unexpmsg: .asciz "qtz-el3: unexpected exception at EL3\r\n"

	.balign 0x800
vectors:
	.rept 8                    /* current EL (SP0 / SPx): should not happen */
	b	unexpected
	.balign 0x80
	.endr
	b	smc_handler            /* lower EL AArch64 sync */
	.balign 0x80
	b	unexpected             /* lower EL IRQ */
	.balign 0x80
	b	fiq_handler            /* lower EL FIQ */
	.balign 0x80
	.rept 5
	b	unexpected
	.balign 0x80
	.endr
	.ltorg
