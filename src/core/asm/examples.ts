// Example guest programs for the page's guest editor: small bare-metal programs that teach
// one thing each about the pseries machine (a hypercall, an interrupt, an MMU fault). They are
// assembled with our assembler at 0x400000, wrapped as a bare ELF (elf.ts) and booted as
// -kernel: VOF enters them there in 32-bit big-endian real mode with MSR = 0, exactly as QEMU
// 7.2 does with `-M pseries,x-vof=on -kernel` (test/editor-examples.test.ts compares the
// consoles with QEMU's).

import { assembleBytes } from './asm';
import { bareElf, BARE_LOAD_ADDR } from './elf';

export interface ExampleProgram {
  id: string;
  title: string;
  source: string;
}

/** Console output shared by the examples: appended to each so that every program is whole. */
const LIBRARY = `
# ---- library: console output through the hypervisor ------------------------------------
# H_PUT_TERM_CHAR (0x58): r4 = the vty (0 = the default console), r5 = byte count (1..16),
# r6:r7 = the bytes, first one in the top byte of r6. Hypercalls may change r0, r3-r12.

# puts: print the NUL-terminated string at r20 (uses r20, r23)
puts:
    mflr r23
puts_next:
    lbz r6,0(r20)
    cmpdi r6,0
    beq puts_done
    sldi r6,r6,56
    li r3,0x58
    li r4,0
    li r5,1
    sc 1
    addi r20,r20,1
    b puts_next
puts_done:
    mtlr r23
    blr

# puthex: print r21 as 16 hex digits followed by a space (uses r21-r23, CTR)
puthex:
    mflr r23
    li r22,17
    mtctr r22
    b puthex_next
puthex_digit:
    rotldi r21,r21,4
    andi. r6,r21,15
    addi r6,r6,48
    cmpdi r6,57
    ble puthex_out
    addi r6,r6,39
puthex_out:
    sldi r6,r6,56
    li r3,0x58
    li r4,0
    li r5,1
    sc 1
puthex_next:
    bdnz puthex_digit
    li r6,32
    sldi r6,r6,56
    li r3,0x58
    li r4,0
    li r5,1
    sc 1
    mtlr r23
    blr
`;

/** Code that enters 64-bit mode (MSR[SF]) with machine checks on (MSR[ME]). */
const MODE64 = `    li r3,1
    sldi r3,r3,63           # MSR[SF]: 64-bit mode
    ori r3,r3,0x1000        # MSR[ME]
    mtmsrd r3`;

/** Code that writes "li r27,VECTOR; ba HANDLER" at an interrupt vector. */
function vectorStub(vector: number, handler: string): string {
  const v = `0x${vector.toString(16)}`;
  return `    li r4,${v}
    lis r3,(0x3b600000+${v})@h      # li r27,${v}
    ori r3,r3,(0x3b600000+${v})@l
    stw r3,0(r4)
    lis r3,(0x48000002+${handler})@h     # ba ${handler}
    ori r3,r3,(0x48000002+${handler})@l
    stw r3,4(r4)
    dcbst 0,r4
    sync
    icbi 0,r4
    isync`;
}

export const EXAMPLES: readonly ExampleProgram[] = [
  {
    id: 'hcall',
    title: 'hypercalls: console out and in',
    source: `# A guest talks to the hypervisor with "sc 1": r3 holds the hypercall number, r4.. the
# arguments; the result comes back in r3 (H_SUCCESS = 0) and r4... This program prints a
# line with H_PUT_TERM_CHAR, then echoes what you type with H_GET_TERM_CHAR (0x54), which
# returns r4 = the number of bytes waiting (0..16) and the bytes in r5:r6.
_start:
${MODE64}
    lis r20,greeting@ha
    addi r20,r20,greeting@l
    bl puts
echo:
    li r3,0x54              # H_GET_TERM_CHAR
    li r4,0                 # the default console
    sc 1
    cmpdi r4,0
    beq echo                # nothing typed yet: ask again
    mr r7,r6                # H_PUT_TERM_CHAR takes the count in r5 and the bytes in r6:r7
    mr r6,r5
    mr r5,r4
    li r3,0x58
    li r4,0
    sc 1
    b echo
greeting:
    .asciz "Hello from the guest, through H_PUT_TERM_CHAR. Type: H_GET_TERM_CHAR echoes it.\\r\\n"
${LIBRARY}`,
  },
  {
    id: 'interrupt',
    title: 'interrupts: illegal instruction and trap',
    source: `# An instruction the processor cannot execute raises the program interrupt: the CPU saves
# the address of the instruction in SRR0 and the MSR with the cause in SRR1 (0x80000 illegal
# instruction, 0x20000 trap), then continues at the vector 0x700 in real mode, 64-bit.
# Here the handler prints SRR0 and SRR1 and returns after the instruction with rfid.
_start:
${MODE64}
${vectorStub(0x700, 'program_check')}
    lis r20,msg_illegal@ha
    addi r20,r20,msg_illegal@l
    bl puts
    .long 0                 # not an instruction
    lis r20,msg_trap@ha
    addi r20,r20,msg_trap@l
    bl puts
    li r5,7
    tdi 4,r5,7              # trap if r5 == 7: it is
    lis r20,msg_done@ha
    addi r20,r20,msg_done@l
    bl puts
hang:
    b hang

program_check:
    mflr r26                # the interrupted code's LR: the calls below change it
    mfsrr0 r24
    mfsrr1 r25
    lis r20,msg_srr0@ha
    addi r20,r20,msg_srr0@l
    bl puts
    mr r21,r24
    bl puthex
    lis r20,msg_srr1@ha
    addi r20,r20,msg_srr1@l
    bl puts
    mr r21,r25
    bl puthex
    lis r20,msg_nl@ha
    addi r20,r20,msg_nl@l
    bl puts
    mtlr r26
    addi r24,r24,4          # resume after the instruction
    mtsrr0 r24
    mtsrr1 r25
    rfid

msg_illegal:
    .asciz "executing the word 0x00000000...\\r\\n"
msg_trap:
    .asciz "and now tdi 4,r5,7 with r5 = 7...\\r\\n"
msg_done:
    .asciz "done.\\r\\n"
msg_srr0:
    .asciz "  program interrupt (0x700): SRR0 "
msg_srr1:
    .asciz "SRR1 "
msg_nl:
    .asciz "\\r\\n"
${LIBRARY}`,
  },
  {
    id: 'mmu',
    title: 'MMU: segment and page faults',
    source: `# With MSR[DR] = 1 every load and store is translated: the effective address's segment is
# looked up in the SLB, then the page in the hashed page table the hypervisor keeps. A missing
# segment raises the data segment interrupt (0x380), a missing page the data storage interrupt
# (0x300) with DSISR 0x40000000; both leave the address in DAR. Interrupts turn translation
# off, so the handler prints with plain real-mode accesses.
_start:
${MODE64}
${vectorStub(0x300, 'data_fault')}
${vectorStub(0x380, 'data_fault')}
    lis r20,msg_seg@ha
    addi r20,r20,msg_seg@l
    bl puts
    lis r15,0x1000          # EA 0x10000000: segment (ESID) 1
    bl load_translated
    lis r20,msg_page@ha
    addi r20,r20,msg_page@l
    bl puts
    lis r4,0x1000           # RB: ESID 1, valid (0x08000000), SLB slot 0
    oris r4,r4,0x0800
    li r3,0x123             # RS: VSID 0x123 (shifted into place), 4 KiB pages
    sldi r3,r3,12
    slbmte r3,r4
    isync
    bl load_translated
    lis r20,msg_done@ha
    addi r20,r20,msg_done@l
    bl puts
hang:
    b hang

# load_translated: load from r15 with data translation on, then turn it off again
load_translated:
    mfmsr r8
    ori r9,r8,0x10          # MSR[DR]
    mtmsrd r9
    ld r6,0(r15)
    mtmsrd r8
    blr

data_fault:
    mflr r26                # the interrupted code's LR: the calls below change it
    mfsrr0 r24
    mfsrr1 r25
    lis r20,msg_vec@ha
    addi r20,r20,msg_vec@l
    bl puts
    mr r21,r27
    bl puthex
    lis r20,msg_dar@ha
    addi r20,r20,msg_dar@l
    bl puts
    mfdar r21
    bl puthex
    lis r20,msg_dsisr@ha
    addi r20,r20,msg_dsisr@l
    bl puts
    mfdsisr r21
    bl puthex
    lis r20,msg_nl@ha
    addi r20,r20,msg_nl@l
    bl puts
    mtlr r26
    addi r24,r24,4
    mtsrr0 r24
    mtsrr1 r25
    rfid

msg_seg:
    .asciz "load from 0x10000000 with an empty SLB...\\r\\n"
msg_page:
    .asciz "now an SLB entry for it (slbmte), but no page in the hash table...\\r\\n"
msg_done:
    .asciz "done.\\r\\n"
msg_vec:
    .asciz "  interrupt "
msg_dar:
    .asciz "DAR "
msg_dsisr:
    .asciz "DSISR "
msg_nl:
    .asciz "\\r\\n"
${LIBRARY}`,
  },
];

/** Assemble a program at the -kernel load address and wrap it as the ELF QEMU's -kernel takes. */
export function programElf(source: string): Uint8Array {
  return bareElf(assembleBytes(source, BigInt(BARE_LOAD_ADDR)));
}
